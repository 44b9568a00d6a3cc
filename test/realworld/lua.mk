# lua.mk: builds Lua 5.4 from a Debian source tree (SRC=.../src) into the current directory, with the
# compilers given: as C (errors are longjmps) and as C++ (errors are C++ exceptions), the two ways
# Debian builds it (liblua5.4 and liblua5.4-c++).
#   make -f lua.mk SRC=DIR CC=... CXX=... [CFLAGS=-O2] [DEPS=FILES] [all | runtime]
# DEPS: files every object depends on besides its source (the plugin, say, so a new one rebuilds).
# all:     lua, lua-c++ (the stand-alone interpreter) and liblua.a (the C library, for embedding)
# runtime: sp-lua, sp-lua-c++: the same interpreter run as the first green thread of sp_main
#          (only with sp-cc / sp-c++, which link the runtime); see sp_lua.c. And lua_threads, the
#          demo of examples/lua_threads.c.
SRC ?= src
CC ?= clang-19
CXX ?= clang++-19
CFLAGS ?= -O2
LUA_FLAGS = -DLUA_COMPAT_5_3 -DLUA_USE_LINUX -I.
HERE := $(dir $(lastword $(MAKEFILE_LIST)))

CORE = lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes lparser lstate \
       lstring ltable ltm lundump lvm lzio
LIBS = lauxlib lbaselib lcorolib ldblib liolib lmathlib loadlib loslib lstrlib ltablib lutf8lib linit
C_OBJ = $(addsuffix .o,$(CORE) $(LIBS))
CXX_OBJ = $(addsuffix .cxx.o,$(CORE) $(LIBS))

all: lua lua-c++ liblua.a
runtime: sp-lua sp-lua-c++ lua_threads

# Debian's luaconf.h names the multiarch triplet for its module paths in a header its rules generate.
lua5.4-deb-multiarch.h:
	echo '#define DEB_HOST_MULTIARCH "$(shell dpkg-architecture -qDEB_HOST_MULTIARCH)"' >$@
$(C_OBJ) $(CXX_OBJ) lua.o lua.cxx.o lua_main.o lua_main.cxx.o: lua5.4-deb-multiarch.h $(DEPS)

%.o: $(SRC)/%.c
	$(CC) $(CFLAGS) $(LUA_FLAGS) -c $< -o $@
%.cxx.o: $(SRC)/%.c
	$(CXX) -x c++ $(CFLAGS) $(LUA_FLAGS) -c $< -o $@

liblua.a: $(C_OBJ)
	rm -f $@ && ar rcs $@ $^
lua: lua.o liblua.a
	$(CC) $(CFLAGS) lua.o liblua.a -lm -ldl -o $@
lua-c++: lua.cxx.o $(CXX_OBJ)
	$(CXX) $(CFLAGS) $^ -lm -ldl -o $@

# lua.c's main, renamed, becomes the first green thread.
lua_main.o: $(SRC)/lua.c
	$(CC) $(CFLAGS) $(LUA_FLAGS) -Dmain=lua_main -c $< -o $@
lua_main.cxx.o: $(SRC)/lua.c
	$(CXX) -x c++ $(CFLAGS) $(LUA_FLAGS) -Dmain=lua_main -c $< -o $@
sp-lua: $(HERE)lua/sp_lua.c lua_main.o liblua.a
	$(CC) $(CFLAGS) $^ -lm -ldl -o $@
sp-lua-c++: $(HERE)lua/sp_lua.c lua_main.cxx.o $(CXX_OBJ)
	$(CXX) $(CFLAGS) -x c++ $< -x none lua_main.cxx.o $(CXX_OBJ) -lm -ldl -o $@

lua_threads: $(HERE)../../examples/lua_threads.c liblua.a
	$(CC) $(CFLAGS) -I$(SRC) -I. $^ -lm -ldl -o $@
