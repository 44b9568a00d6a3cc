//===- PollEmitter.cpp - the instructions of one poll, and its site record -===//
#include "PollEmitter.h"

#include "llvm/ADT/Statistic.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"

#include <string>

using namespace llvm;
using namespace safepoint;

#define DEBUG_TYPE "safepoint"

STATISTIC(NumLoopPolls, "Number of loop back-edge polls");
STATISTIC(NumEpiloguePolls, "Number of function epilogue polls");
STATISTIC(NumEntryChecks, "Number of function-entry polls");
STATISTIC(NumSelectDeferPolls, "Number of polls before select and defer calls");

// Local labels unlikely to be used by hand-written asm in the same function; every reference to them
// is inside the same asm statement, right after the definition.
static const char PollStartLabel[] = "8201";
static const char PollEndLabel[] = "8202";

static StringRef kindName(sp_site_kind Kind) {
  switch (Kind) {
  case SP_SITE_LOOP:
    return "loop back-edge";
  case SP_SITE_EPILOGUE:
    return "epilogue";
  case SP_SITE_ENTRY:
    return "function entry";
  case SP_SITE_SELECT:
    return "select";
  case SP_SITE_DEFER:
    return "defer";
  }
  llvm_unreachable("unknown site kind");
}

// The directive that switches to F's part of the site table. A function in a comdat group puts its
// records in that group: when the linker drops a duplicate copy of an inline function, its records
// must go with it, since records left behind refer to a discarded section and linkers reject that.
static std::string siteSectionDirective(const Function &F) {
  std::string Directive = std::string(".pushsection ") + SP_SITE_SECTION + ",\"a";
  const Comdat *C = F.getComdat();
  if (!C || C->getSelectionKind() != Comdat::Any)
    return Directive + "\",@progbits";
  // The group name is part of the inline asm text, where '$' starts an operand reference; clang
  // allows '$' in identifiers, so it shows up in mangled names.
  std::string Group;
  for (char Ch : C->getName()) {
    if (Ch == '$')
      Group += '$';
    Group += Ch;
  }
  return Directive + "G\",@progbits,\"" + Group + "\",comdat";
}

// The directives that append one struct sp_site_record to the site table. NameOperand and
// FileOperand are asm operand numbers (FileOperand < 0: no file). Length is an assembler expression.
static std::string siteRecordDirectives(const Function &F, const PollSite &Site,
                                        sp_poll_mode Mode, int NameOperand, int FileOperand,
                                        StringRef Length) {
  unsigned Line = 0, Column = 0;
  if (const DILocation *Loc = Site.Loc.get()) {
    Line = Loc->getLine();
    Column = std::min(Loc->getColumn(), 0xffffu);
  }
  std::string File = FileOperand < 0 ? std::string("0")
                                      : "${" + std::to_string(FileOperand) + ":c} - .";
  return siteSectionDirective(F) + "\n" +
         "\t.balign 4\n" +
         "\t.long " + PollStartLabel + "b - .\n" +
         "\t.long ${" + std::to_string(NameOperand) + ":c} - .\n" +
         "\t.long " + File + "\n" +
         "\t.long " + std::to_string(Line) + "\n" +
         "\t.short " + std::to_string(Column) + "\n" +
         "\t.byte " + std::to_string(Site.Kind) + ", " + std::to_string(Mode) + ", " +
         Length.str() + ", 0, 0, 0\n" +
         "\t.popsection";
}

// Whether M is built for an executable (PIE or not PIC): code that cannot go into a shared library.
static bool isExecutableCode(const Module &M) {
  return M.getPICLevel() == PICLevel::NotPIC || M.getPIELevel() != PIELevel::Default;
}

PollEmitter::PollEmitter(Module &M, const SafepointOptions &Options) : M(M), Options(Options) {}

Constant *PollEmitter::privateString(StringRef Text) {
  Constant *&Slot = Strings[Text];
  if (!Slot) {
    auto *Init = ConstantDataArray::getString(M.getContext(), Text);
    auto *GV = new GlobalVariable(M, Init->getType(), /*isConstant=*/true,
                                  GlobalValue::PrivateLinkage, Init, "__sp_str");
    GV->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    GV->setAlignment(Align(1));
    Slot = GV;
  }
  return Slot;
}

SmallVector<Value *, 2> PollEmitter::recordOperands(const PollSite &Site) {
  SmallVector<Value *, 2> Operands{privateString(CurrentFunction->getName())};
  if (const DILocation *Loc = Site.Loc.get(); Loc && !Loc->getFilename().empty())
    Operands.push_back(privateString(Loc->getFilename()));
  return Operands;
}

GlobalVariable *PollEmitter::abiVariable(StringRef Name, Type *Ty, Constant *Init, bool ThreadLocal,
                                         Align Alignment) {
  if (GlobalVariable *Existing = M.getNamedGlobal(Name))
    return Existing;
  // A weak definition in every instrumented module: programs that never link the runtime still link
  // and see a readable page, a clear flag and a zero guard. The runtime's strong definition wins.
  auto *GV = new GlobalVariable(M, Ty, /*isConstant=*/false, GlobalValue::WeakAnyLinkage, Init, Name,
                                nullptr, ThreadLocal ? GlobalValue::InitialExecTLSModel
                                                     : GlobalValue::NotThreadLocal);
  GV->setAlignment(Alignment);
  GV->setComdat(M.getOrInsertComdat(Name));
  // In an executable the definition that wins is the executable's own, so access it directly.
  if (isExecutableCode(M))
    GV->setDSOLocal(true);
  return GV;
}

GlobalVariable *PollEmitter::pollPage() {
  Type *PageTy = ArrayType::get(Type::getInt8Ty(M.getContext()), SP_POLL_PAGE_SIZE);
  return abiVariable(SP_SYM_POLL_PAGE, PageTy, Constant::getNullValue(PageTy), false,
                     Align(SP_POLL_PAGE_SIZE));
}

GlobalVariable *PollEmitter::threadPollPage() {
  Type *PageTy = ArrayType::get(Type::getInt8Ty(M.getContext()), SP_POLL_PAGE_SIZE);
  if (isExecutableCode(M))
    return abiVariable(SP_SYM_THREAD_POLL_PAGE, PageTy, Constant::getNullValue(PageTy), true,
                       Align(SP_POLL_PAGE_SIZE));
  // Code that may end up in a shared library only refers to the page. A library that defined it
  // would carry a 4096-aligned TLS block of its own, which dlopen cannot place (glibc keeps under
  // 2 KiB of static TLS spare for dlopen'ed libraries: "cannot allocate memory in static TLS
  // block"), even where the executable's copy is the one its polls bind to. Weak: with no
  // definition anywhere (a library in a program without the runtime or any instrumented
  // executable code), the dynamic linker leaves the offset at 0 and the polls read %fs:0, the
  // thread control block's pointer to itself, which is always readable.
  if (GlobalVariable *Existing = M.getNamedGlobal(SP_SYM_THREAD_POLL_PAGE))
    return Existing;
  auto *GV = new GlobalVariable(M, PageTy, /*isConstant=*/false, GlobalValue::ExternalWeakLinkage,
                                nullptr, SP_SYM_THREAD_POLL_PAGE, nullptr,
                                GlobalValue::InitialExecTLSModel);
  GV->setAlignment(Align(SP_POLL_PAGE_SIZE));
  return GV;
}

FunctionCallee PollEmitter::abiFunction(StringRef Name, bool PreserveMost, bool WeakReference) {
  FunctionCallee Callee =
      M.getOrInsertFunction(Name, FunctionType::get(Type::getVoidTy(M.getContext()), false));
  if (auto *Fn = dyn_cast<Function>(Callee.getCallee()); Fn && Fn->isDeclaration()) {
    if (PreserveMost) {
      Fn->setCallingConv(CallingConv::PreserveMost);
      // A shared library calls the runtime through the PLT, and the first call goes through the
      // dynamic linker's lazy-binding trampoline, which saves only the argument registers and
      // clobbers r10, which preserve_most callers keep live across the call (a strip-mined loop's
      // chunk end did, and spun forever). Through the GOT, no trampoline runs. An executable
      // links the runtime itself and calls it directly.
      if (M.getPICLevel() != PICLevel::NotPIC && M.getPIELevel() == PIELevel::Default)
        Fn->addFnAttr(Attribute::NonLazyBind);
    }
    // Slow paths are only reached once the runtime armed something, so without the runtime they need
    // not exist.
    if (WeakReference)
      Fn->setLinkage(GlobalValue::ExternalWeakLinkage);
    Fn->addFnAttr(Attribute::NoUnwind);
  }
  return Callee;
}

void PollEmitter::emitPagePoll(IRBuilder<> &B, const PollSite &Site, Value *PageAddress) {
  SmallVector<Value *, 3> Operands{PageAddress};
  SmallVector<Value *, 2> Record = recordOperands(Site);
  Operands.append(Record.begin(), Record.end());
  std::string Constraints = "*m,i";
  if (Record.size() > 1)
    Constraints += ",i";
  Constraints += ",~{dirflag},~{fpsr},~{flags}";
  std::string Length = std::string(PollEndLabel) + "b - " + PollStartLabel + "b";
  std::string Text = std::string(PollStartLabel) + ":\n\ttestl %eax, $0\n" + PollEndLabel + ":\n\t" +
                     siteRecordDirectives(*CurrentFunction, Site, sp_poll_mode(Options.Mode), 1,
                                          Record.size() > 1 ? 2 : -1, Length);
  SmallVector<Type *, 3> Types;
  for (Value *V : Operands)
    Types.push_back(V->getType());
  auto *Asm = InlineAsm::get(FunctionType::get(B.getVoidTy(), Types, false), Text, Constraints,
                             /*hasSideEffects=*/true);
  CallInst *Call = B.CreateCall(Asm, Operands);
  Call->addParamAttr(0, Attribute::get(M.getContext(), Attribute::ElementType, B.getInt32Ty()));
  Call->addFnAttr(Attribute::NoUnwind);
}

void PollEmitter::emitThreadPagePoll(IRBuilder<> &B, const PollSite &Site) {
  // The address is derived right at the poll, so the backend folds it into the read as a
  // %fs-relative operand: the thread that executes the poll is the one whose page it reads, even
  // after its green thread moved to another OS thread.
  CallInst *Page = B.CreateThreadLocalAddress(threadPollPage());
  Page->setName("sp.page");
  emitPagePoll(B, Site, Page);
}

void PollEmitter::emitSiteMarker(IRBuilder<> &B, const PollSite &Site, sp_poll_mode Mode) {
  SmallVector<Value *, 2> Record = recordOperands(Site);
  std::string Constraints = Record.size() > 1 ? "i,i" : "i";
  std::string Text =
      std::string(PollStartLabel) + ":\n\t" +
      siteRecordDirectives(*CurrentFunction, Site, Mode, 0, Record.size() > 1 ? 1 : -1, "0");
  SmallVector<Type *, 2> Types;
  for (Value *V : Record)
    Types.push_back(V->getType());
  auto *Asm = InlineAsm::get(FunctionType::get(B.getVoidTy(), Types, false), Text, Constraints,
                             /*hasSideEffects=*/true);
  B.CreateCall(Asm, Record)->addFnAttr(Attribute::NoUnwind);
}

void PollEmitter::emitColdCallIf(Value *Condition, Instruction *InsertBefore,
                                 FunctionCallee SlowPath, const DebugLoc &Loc) {
  MDNode *Unlikely = MDBuilder(M.getContext()).createUnlikelyBranchWeights();
  BasicBlock *Head = InsertBefore->getParent();
  Instruction *Then = SplitBlockAndInsertIfThen(Condition, InsertBefore->getIterator(),
                                                /*Unreachable=*/false, Unlikely);
  Then->getParent()->setName(Head->getName() + ".sp.slow");
  InsertBefore->getParent()->setName(Head->getName() + ".sp.cont");
  IRBuilder<> Cold(Then);
  Cold.SetCurrentDebugLocation(Loc);
  CallInst *Call = Cold.CreateCall(SlowPath);
  if (auto *Fn = dyn_cast<Function>(SlowPath.getCallee()))
    Call->setCallingConv(Fn->getCallingConv());
  // Identical cold blocks would be tail-merged, and then the checks branching to them too: two
  // polls whose code ends alike (say two epilogues before the same tail call) would share one check,
  // with one site marking a jmp to the other's. A cold call that is never merged keeps them apart.
  Call->addFnAttr(Attribute::NoMerge);
}

// Where a poll at F's entry goes: after the static allocas and llvm.localescape, which it gathers
// at the top of the entry block.
static Instruction *entryPollPoint(Function &F) {
  // Static allocas must stay in the entry block (a split would make them dynamic), so gather them
  // at its top and check the stack after them.
  BasicBlock &Entry = F.getEntryBlock();
  Instruction *CheckPoint = &*Entry.getFirstInsertionPt();
  for (Instruction &I : make_early_inc_range(Entry))
    if (auto *Alloca = dyn_cast<AllocaInst>(&I); Alloca && Alloca->isStaticAlloca() &&
                                                  &I != CheckPoint)
      Alloca->moveBefore(CheckPoint);
  CheckPoint = &*Entry.getFirstInsertionPt();
  while (isa<AllocaInst>(CheckPoint) && cast<AllocaInst>(CheckPoint)->isStaticAlloca())
    CheckPoint = CheckPoint->getNextNode();
  // llvm.localescape must stay in the entry block too (the verifier insists). It names only static
  // allocas, which are all above the check now.
  for (Instruction &I : make_early_inc_range(Entry))
    if (auto *Escape = dyn_cast<IntrinsicInst>(&I);
        Escape && Escape->getIntrinsicID() == Intrinsic::localescape) {
      if (Escape == CheckPoint)
        CheckPoint = CheckPoint->getNextNode();
      else
        Escape->moveBefore(CheckPoint);
    }
  return CheckPoint;
}

void PollEmitter::emitEntryCheck(Function &F, const PollSite &Site) {
  Instruction *EntryPoint = entryPollPoint(F);
  // A check after a dynamic allocation splits its block right after it; entryPollPoint() has
  // gathered the static allocas at the top of the entry block first, so that they stay static and
  // none of them is what follows the allocation.
  Instruction *CheckPoint = Site.AfterAllocation ? Site.InsertBefore->getNextNode() : EntryPoint;
  IRBuilder<> B(CheckPoint);
  B.SetCurrentDebugLocation(Site.Loc);
  emitSiteMarker(B, Site, SP_MODE_STACK_GUARD);
  LLVMContext &Ctx = M.getContext();
  Function *ReadRegister = Intrinsic::getDeclaration(&M, Intrinsic::read_register, {B.getInt64Ty()});
  Value *RSP = MetadataAsValue::get(Ctx, MDNode::get(Ctx, MDString::get(Ctx, "rsp")));
  Value *StackPointer = B.CreateCall(ReadRegister, {RSP}, "sp.rsp");
  GlobalVariable *GuardVar =
      abiVariable(SP_SYM_STACK_GUARD, B.getInt64Ty(), B.getInt64(0), true, Align(8));
  Value *Guard = B.CreateLoad(B.getInt64Ty(), B.CreateThreadLocalAddress(GuardVar),
                              /*isVolatile=*/true, "sp.guard");
  Value *Below = B.CreateICmpULT(StackPointer, Guard, "sp.below_guard");
  emitColdCallIf(Below, CheckPoint, abiFunction(SP_SYM_MORESTACK, true, true), Site.Loc);
}

void PollEmitter::emit(Function &F, const PollSite &Site, OptimizationRemarkEmitter &ORE) {
  CurrentFunction = &F;
  ++NumEmitted;
  StringRef ModeName = pollModeName(Options.Mode);
  switch (Site.Kind) {
  case SP_SITE_ENTRY:
    ++NumEntryChecks;
    // An entry poll that need not check the stack (EntryStackCheck.h) is, in thread-page mode,
    // the loop poll's one faulting load; the runtime arms the page and the guard together.
    if (!Site.ChecksStack && Options.Mode == PollMode::ThreadPage) {
      IRBuilder<> B(entryPollPoint(F));
      B.SetCurrentDebugLocation(Site.Loc);
      emitThreadPagePoll(B, Site);
      break;
    }
    ModeName = "stack-guard";
    emitEntryCheck(F, Site);
    break;
  default: {
    if (Site.Kind == SP_SITE_LOOP)
      ++NumLoopPolls;
    else if (Site.Kind == SP_SITE_EPILOGUE)
      ++NumEpiloguePolls;
    else
      ++NumSelectDeferPolls;
    IRBuilder<> B(Site.InsertBefore);
    B.SetCurrentDebugLocation(Site.Loc);
    switch (Options.Mode) {
    case PollMode::ThreadPage:
      emitThreadPagePoll(B, Site);
      break;
    case PollMode::GlobalPage:
      emitPagePoll(B, Site, pollPage());
      break;
    case PollMode::Flag: {
      emitSiteMarker(B, Site, SP_MODE_FLAG);
      GlobalVariable *FlagVar =
          abiVariable(SP_SYM_POLL_FLAG, B.getInt8Ty(), B.getInt8(0), true, Align(1));
      Value *Flag = B.CreateLoad(B.getInt8Ty(), B.CreateThreadLocalAddress(FlagVar),
                                 /*isVolatile=*/true, "sp.flag");
      emitColdCallIf(B.CreateIsNotNull(Flag, "sp.stop_requested"), Site.InsertBefore,
                     abiFunction(SP_SYM_POLL_SLOW, true, true), Site.Loc);
      break;
    }
    case PollMode::Call: {
      emitSiteMarker(B, Site, SP_MODE_CALL);
      // Without nomerge, tail merging shares one call between polls whose code ends alike (say two
      // musttail epilogues): the other markers then mark a jmp to it, not a poll of their own.
      CallInst *Poll = B.CreateCall(abiFunction(SP_SYM_POLL, false, false));
      Poll->addFnAttr(Attribute::NoMerge);
      break;
    }
    }
  }
  }

  ORE.emit([&] {
    OptimizationRemark R(DEBUG_TYPE, "Poll", Site.Loc, Site.InsertBefore->getParent());
    if (Site.AfterAllocation)
      R << "stack check after a dynamic allocation (" << ore::NV("Mode", ModeName) << ")";
    else
      R << "safepoint poll at " << ore::NV("Kind", kindName(Site.Kind)) << " ("
        << ore::NV("Mode", ModeName) << ")";
    return R;
  });
}
