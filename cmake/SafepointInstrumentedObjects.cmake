# sp_add_instrumented_objects(PREFIX SOURCE [FLAGS...]): compiles SOURCE with the pass once per poll
# mode, with FLAGS (default -O2), into the object libraries PREFIX_thread_page, PREFIX_global_page,
# PREFIX_flag and PREFIX_call. Each copy
# is compiled with SP_HOG_PREFIX=<its library name>, so its functions get names of their own and all
# four can be linked into one program. Sets PREFIX_OBJECTS in the caller to their objects.
#
# -fplugin= as well as -fpass-plugin=, so that clang knows the plugin's -mllvm options.
function(sp_add_instrumented_objects prefix source)
  set(flags ${ARGN})
  if(NOT flags)
    set(flags -O2)
  endif()
  set(plugin $<TARGET_FILE:SafepointPlugin>)
  # Recompile when the pass changes (OBJECT_DEPENDS takes no generator expressions; the plugin's
  # place is fixed by the top-level CMakeLists.txt).
  set_source_files_properties(${source} PROPERTIES
                              OBJECT_DEPENDS ${CMAKE_LIBRARY_OUTPUT_DIRECTORY}/SafepointPlugin.so)
  set(objects)
  foreach(mode thread-page global-page flag call)
    string(REPLACE "-" "_" id ${mode})
    set(lib ${prefix}_${id})
    add_library(${lib} OBJECT ${source})
    add_dependencies(${lib} SafepointPlugin)
    target_include_directories(${lib} PRIVATE ${PROJECT_SOURCE_DIR}/runtime/include)
    target_compile_definitions(${lib} PRIVATE SP_HOG_PREFIX=${lib})
    target_compile_options(${lib} PRIVATE ${flags} -fplugin=${plugin} -fpass-plugin=${plugin}
                                          "SHELL:-mllvm -sp-poll=${mode}")
    list(APPEND objects $<TARGET_OBJECTS:${lib}>)
  endforeach()
  set(${prefix}_OBJECTS ${objects} PARENT_SCOPE)
endfunction()
