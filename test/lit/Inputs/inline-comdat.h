// An inline function with a loop, emitted (in a COMDAT group) by every translation unit that uses it.
extern volatile int sink;
inline int spin(int n) {
  for (int i = 0; i < n; ++i)
    sink = i;
  return n;
}
