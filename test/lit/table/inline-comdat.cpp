// An inline function used by two translation units is emitted by both, each copy in a COMDAT group,
// and the linker keeps one copy. The site records of a copy must be in its group: records left behind
// by the dropped copy would refer to a discarded section, which the linker rejects. Linked, the table
// lists exactly the polls of the kept copy (one loop poll and one epilogue poll in spin).
// RUN: %spcxx -mllvm -sp-epilogue-polls=1 -O1 -fno-inline -I %inputs -c %s -o %t.a.o
// RUN: %spcxx -mllvm -sp-epilogue-polls=1 -O1 -fno-inline -I %inputs -c %inputs/inline-comdat-other.cpp -o %t.b.o
// RUN: llvm-readelf -S --section-groups %t.a.o | FileCheck %s --check-prefix=GROUP
// RUN: %spcxx %t.a.o %t.b.o -Wl,--emit-relocs -o %t
// RUN: %python %inputs/check-site-table.py %sp-inspect %t %t.a.o %t.b.o | FileCheck %s
// RUN: %sp-inspect %t | FileCheck %s --check-prefix=TABLE

// GROUP:      COMDAT group section [{{ *[0-9]+}}] `.group' [_Z4spini] contains
// GROUP-NEXT:    [Index]    Name
// GROUP-NEXT:    [{{ *[0-9]+}}]   .text._Z4spini
// GROUP:         [{{ *[0-9]+}}]   sp_sites

// CHECK: ok: 6 sites, 6 polls (thread-page 6)

// TABLE: 6 safepoint sites
// TABLE-DAG: entry    thread-page main
// TABLE-DAG: epilogue thread-page main
// TABLE-DAG: entry    thread-page other(int)
// TABLE-DAG: epilogue thread-page other(int)
// TABLE-DAG: loop     thread-page spin(int)
// TABLE-DAG: epilogue thread-page spin(int)

#include "inline-comdat.h"

int other(int n);

int main(int argc, char **) { return spin(argc * 100000) + other(argc); }
