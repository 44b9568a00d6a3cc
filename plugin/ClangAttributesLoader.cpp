//===- ClangAttributesLoader.cpp - load the clang attributes inside clang -===//
//
// SafepointPlugin.so is loaded by clang (-fplugin=, -fpass-plugin=), opt (-load-pass-plugin=) and lld
// (--load-pass-plugin=). Only clang has the Sema the attributes plug into (ClangAttributes.cpp), and
// only clang has libclang-cpp loaded. So when this module is loaded into a process that has
// libclang-cpp, it loads its companion SafepointClangAttributes.so from its own directory, whose
// static registrations add the attributes to clang's registry before clang parses anything.
//
//===----------------------------------------------------------------------===//
#include <dlfcn.h>

#include <cstdio>
#include <string>

namespace {

std::string ownDirectory() {
  Dl_info Info;
  if (!dladdr(reinterpret_cast<void *>(&ownDirectory), &Info) || !Info.dli_fname)
    return ".";
  std::string Path = Info.dli_fname;
  size_t Slash = Path.rfind('/');
  return Slash == std::string::npos ? "." : Path.substr(0, Slash);
}

struct LoadClangAttributes {
  LoadClangAttributes() {
    if (!dlopen(SP_CLANG_CPP_SONAME, RTLD_LAZY | RTLD_NOLOAD))
      return; // not inside clang
    std::string Companion = ownDirectory() + "/" + SP_CLANG_ATTRIBUTES_MODULE;
    if (!dlopen(Companion.c_str(), RTLD_NOW | RTLD_GLOBAL))
      std::fprintf(stderr, "safepoint: cannot load the clang attributes (%s): %s\n",
                   Companion.c_str(), dlerror());
  }
} Loader;

} // namespace
