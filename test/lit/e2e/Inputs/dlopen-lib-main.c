/* Opens the library argv[1] with dlopen, calls its lib_mix, and prints the result. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    printf("dlopen: %s\n", dlerror());
    return 1;
  }
  unsigned long (*mix)(unsigned long, unsigned long) =
      (unsigned long (*)(unsigned long, unsigned long))dlsym(lib, "lib_mix");
  printf("%lu\n", mix(1, 1000));
  return 0;
}
