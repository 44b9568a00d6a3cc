int g(int x) { return x; }
void use(int x) { (void)x; }
