# sp_target_flags(target): the warnings every Safepoint target builds with, plus the sanitizer chosen
# with SP_ASAN / SP_TSAN. The plugin never takes sanitizer flags: it runs inside clang.
function(sp_target_flags target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror=implicit-function-declaration
                                           -Wno-unused-parameter)
endfunction()

function(sp_target_sanitizers target)
  if(SP_ASAN)
    target_compile_options(${target} PRIVATE -fsanitize=address -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address)
  elseif(SP_TSAN)
    target_compile_options(${target} PRIVATE -fsanitize=thread)
    target_link_options(${target} PRIVATE -fsanitize=thread)
  endif()
endfunction()
