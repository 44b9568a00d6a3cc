/* Starts the runtime through a shared library only (Inputs/start-runtime-lib.c). */
int lib_start(void);

int main(void) { return lib_start(); }
