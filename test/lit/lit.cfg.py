# lit configuration for the Safepoint pass: RUN lines use %plugin, %opt-sp, %clang, %spcc, %spcxx,
# %sp-inspect and %sp-runtime-archive, with LLVM 19's tools (opt, llc, FileCheck, not, llvm-objdump)
# first on PATH.
import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config

config.name = "Safepoint"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".ll", ".c", ".cpp", ".test"]
config.excludes = ["Inputs"]
config.test_source_root = config.sp_source_dir
config.test_exec_root = config.sp_binary_dir

llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.use_default_substitutions()

plugin = config.sp_plugin
config.substitutions.append(("%plugin", plugin))
config.substitutions.append(
    ("%opt-sp", "opt -load-pass-plugin=%s -verify-each" % plugin))
config.substitutions.append(("%clang-sp", "clang -fplugin=%s -fpass-plugin=%s" % (plugin, plugin)))
config.substitutions.append(("%spcc", os.path.join(config.sp_bin_dir, "sp-cc")))
config.substitutions.append(("%spcxx", os.path.join(config.sp_bin_dir, "sp-c++")))
config.substitutions.append(("%sp-inspect", os.path.join(config.sp_bin_dir, "sp-inspect")))
config.substitutions.append(("%sp-runtime-archive", config.sp_runtime_archive))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%inputs", os.path.join(config.sp_source_dir, "Inputs")))
config.substitutions.append(
    ("%examples", os.path.join(os.path.dirname(os.path.dirname(config.sp_source_dir)), "examples")))

# valgrind.test runs only where valgrind is installed (scripts/install-deps.sh installs it).
if shutil.which("valgrind"):
    config.available_features.add("valgrind")

# bench-pass-libraries.test unpacks zlib's Debian source (apt-get source): only where apt knows a source
# package, i.e. a deb-src entry exists (test/realworld/sources.sh adds one; docs/benchmarks.md says how).
try:
    _showsrc = subprocess.run(["apt-cache", "showsrc", "zlib"], capture_output=True, text=True,
                              timeout=60).stdout
except (OSError, subprocess.SubprocessError):
    _showsrc = ""
if shutil.which("apt-get") and "Version:" in _showsrc:
    config.available_features.add("debian-sources")
