//===- ClangAttributes.cpp - [[safepoint::nosplit]] and friends for clang --===//
//
// Loaded into clang with -fplugin=SafepointPlugin.so, this registers Go's no-preemption attributes for
// C and C++:
//   [[safepoint::nosplit]]            __attribute__((safepoint_nosplit))
//   [[safepoint::nowritebarrier]]     __attribute__((safepoint_nowritebarrier))
//   [[safepoint::nowritebarrierrec]]  __attribute__((safepoint_nowritebarrierrec))
//   [[safepoint::yeswritebarrierrec]] __attribute__((safepoint_yeswritebarrierrec))
// Each takes no arguments and applies to functions only; clang diagnoses anything else with its own
// diagnostics. Each becomes the annotation "safepoint.NAME" on the function, which is exactly what
// safepoint.h's SP_NOSPLIT & co. expand to when the plugin is not loaded, so code compiles the same
// either way and the pass reads only the annotation (Annotations.h).
//
// This part needs clang's own symbols, so the plugin links libclang-cpp dynamically: clang already has
// it loaded, and opt, which does not, loads it as a dependency (the pass part does not use it).
//
//===----------------------------------------------------------------------===//
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/Basic/DiagnosticSema.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Sema/ParsedAttr.h"
#include "clang/Sema/Sema.h"

#include <string>

using namespace clang;

namespace {

// One attribute: NAME spelled [[safepoint::NAME]] (C23 and C++11) and __attribute__((safepoint_NAME)).
// clang 19's parser skips the arguments of a [[scope::name(...)]] attribute that a plugin registers
// without telling Sema, so they are looked for in the source: a '(' right after the name.
bool hasSkippedArguments(Sema &S, const ParsedAttr &Attr) {
  if (!Attr.hasScope())
    return false;
  const SourceManager &SM = S.getSourceManager();
  // safepoint, ::, the name, then perhaps '('.
  std::optional<Token> Tok = Token();
  Tok->setLocation(SM.getSpellingLoc(Attr.getScopeLoc()));
  for (int I = 0; I < 3 && Tok; ++I)
    Tok = Lexer::findNextToken(Tok->getLocation(), SM, S.getLangOpts());
  return Tok && Tok->is(tok::l_paren);
}

template <const char *Name, const char *GnuName, const char *ScopedName>
struct SafepointAttrInfo : public ParsedAttrInfo {
  SafepointAttrInfo() {
    static constexpr Spelling Spellings[] = {{ParsedAttr::AS_GNU, GnuName},
                                             {ParsedAttr::AS_C23, ScopedName},
                                             {ParsedAttr::AS_CXX11, ScopedName}};
    this->Spellings = Spellings;
    NumArgs = 0;
    OptArgs = 0;
  }

  bool diagAppertainsToDecl(Sema &S, const ParsedAttr &Attr, const Decl *D) const override {
    if (isa<FunctionDecl>(D))
      return true;
    S.Diag(Attr.getLoc(), diag::err_attribute_wrong_decl_type_str)
        << Attr << Attr.isRegularKeywordAttribute() << "functions";
    return false;
  }

  AttrHandling handleDeclAttribute(Sema &S, Decl *D, const ParsedAttr &Attr) const override {
    // NumArgs = 0 makes clang reject arguments to the GNU spelling before this; the scoped
    // spellings' arguments never reach Sema (hasSkippedArguments).
    if (Attr.getNumArgs() != 0 || hasSkippedArguments(S, Attr)) {
      S.Diag(Attr.getLoc(), diag::err_attribute_wrong_number_arguments) << Attr << 0;
      return AttributeNotApplied;
    }
    std::string Annotation = std::string("safepoint.") + Name;
    D->addAttr(AnnotateAttr::Create(S.Context, Annotation, nullptr, 0, Attr.getRange()));
    return AttributeApplied;
  }
};

#define SP_ATTRIBUTE(NAME)                                                                          \
  constexpr char NAME##Name[] = #NAME;                                                              \
  constexpr char NAME##Gnu[] = "safepoint_" #NAME;                                                  \
  constexpr char NAME##Scoped[] = "safepoint::" #NAME;                                              \
  ParsedAttrInfoRegistry::Add<SafepointAttrInfo<NAME##Name, NAME##Gnu, NAME##Scoped>> NAME##Info(   \
      "safepoint_" #NAME, "[[safepoint::" #NAME "]]")

SP_ATTRIBUTE(nosplit);
SP_ATTRIBUTE(nowritebarrier);
SP_ATTRIBUTE(nowritebarrierrec);
SP_ATTRIBUTE(yeswritebarrierrec);

} // namespace
