#include "inline-comdat.h"
volatile int sink;
int other(int n) { return spin(n * 3000); }
