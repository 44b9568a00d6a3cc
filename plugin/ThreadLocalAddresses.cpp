//===- ThreadLocalAddresses.cpp - TLS addresses follow the green thread ---===//
#include "ThreadLocalAddresses.h"

#include "safepoint_abi.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Transforms/Utils/Local.h"

using namespace llvm;
using namespace safepoint;

#define DEBUG_TYPE "safepoint"

STATISTIC(NumRederived, "Number of thread-local address uses re-derived after a switch point");

// Off, instrumented code may read another OS thread's errno after a switch: this exists only to
// measure what re-derivation costs (docs/benchmarks.md), hence hidden.
static cl::opt<bool> ClRederiveTls(
    "sp-rederive-tls", cl::Hidden, cl::init(true),
    cl::desc("Re-derive thread-local addresses after each switch point (off only to measure the "
             "cost: unsafe under the runtime)"));

// A computation of the current thread's address of something: llvm.threadlocal.address, or a call
// to a C library accessor declared `const` that takes nothing and returns a pointer
// (__errno_location, __h_errno_location, __ctype_b_loc, ...). The pass's own poll data is read right
// where it is computed and is left alone.
static bool computesThreadAddress(const Instruction &I) {
  const auto *Call = dyn_cast<CallInst>(&I);
  if (!Call || Call->isInlineAsm())
    return false;
  if (Call->getIntrinsicID() == Intrinsic::threadlocal_address) {
    StringRef Name = Call->getArgOperand(0)->stripPointerCasts()->getName();
    return !Name.starts_with("__sp_");
  }
  const Function *Callee = Call->getCalledFunction();
  return Callee && Callee->isDeclaration() && !Callee->isIntrinsic() && Callee->arg_empty() &&
         Callee->getReturnType()->isPointerTy() && Callee->doesNotAccessMemory();
}

// Where a green thread may stop and resume elsewhere: a poll (inline asm marking a site, or a call
// into the runtime's slow paths), or any real call, since an instrumented callee may poll.
static bool isSwitchPoint(const Instruction &I) {
  const auto *Call = dyn_cast<CallBase>(&I);
  if (!Call)
    return false;
  if (const auto *Asm = dyn_cast<InlineAsm>(Call->getCalledOperand()))
    return StringRef(Asm->getAsmString()).contains(SP_SITE_SECTION);
  if (isa<IntrinsicInst>(Call))
    return false;
  return !computesThreadAddress(I);
}

static bool hasSwitchPoint(BasicBlock::const_iterator From, BasicBlock::const_iterator To) {
  for (; From != To; ++From)
    if (isSwitchPoint(*From))
      return true;
  return false;
}

namespace {
// Which blocks code running after Def can enter having passed a switch point on the way. A path
// that comes back to Def's block computes Def anew, so the search stops there.
class SwitchReachability {
public:
  explicit SwitchReachability(Instruction &Def) : Def(Def) {
    BasicBlock *Home = Def.getParent();
    bool SwitchAfterDef = hasSwitchPoint(std::next(Def.getIterator()), Home->end());
    SmallVector<std::pair<BasicBlock *, bool>, 16> Work;
    for (BasicBlock *Succ : successors(Home))
      Work.push_back({Succ, SwitchAfterDef});
    while (!Work.empty()) {
      auto [BB, Switched] = Work.pop_back_val();
      if (BB == Home)
        continue;
      uint8_t &Seen = Entered[BB];
      uint8_t Bit = Switched ? 2 : 1;
      if (Seen & Bit)
        continue;
      Seen |= Bit;
      bool SwitchedAtExit = Switched || hasSwitchPoint(BB->begin(), BB->end());
      for (BasicBlock *Succ : successors(BB))
        Work.push_back({Succ, SwitchedAtExit});
    }
  }

  // Whether a switch point may lie between Def and the point right before At.
  bool separates(Instruction &At) const {
    BasicBlock *BB = At.getParent();
    if (BB == Def.getParent() && Def.comesBefore(&At))
      return hasSwitchPoint(std::next(Def.getIterator()), At.getIterator());
    auto It = Entered.find(BB);
    if (It == Entered.end())
      return false;
    return (It->second & 2) || hasSwitchPoint(BB->begin(), At.getIterator());
  }

private:
  Instruction &Def;
  DenseMap<BasicBlock *, uint8_t> Entered; // bit 0: entered unswitched, bit 1: entered switched
};
} // namespace

// An internal function that returns the running thread's address of the thread-local variable GV.
// A re-derived address must not be the one computed before the switch point, and the backend would
// make it so: instruction selection orders calls but may schedule the thread-pointer read that
// llvm.threadlocal.address becomes before an earlier call in the same block, and in PIC code X86's
// local-dynamic TLS clean-up computes the module's TLS base (the __tls_get_addr call) once per
// function and reuses it in every block. A call to this function is computed where it stands.
static Function *addressFunction(GlobalValue &GV) {
  Module &M = *GV.getParent();
  std::string Name = ("__sp_tls_address." + GV.getName()).str();
  if (Function *Existing = M.getFunction(Name))
    return Existing;
  LLVMContext &Ctx = M.getContext();
  auto *Ty = FunctionType::get(GV.getType(), false);
  Function *F = Function::Create(Ty, GlobalValue::InternalLinkage, Name, M);
  F->addFnAttr(Attribute::NoInline);
  F->addFnAttr(Attribute::NoUnwind);
  F->addFnAttr(Attribute::WillReturn);
  IRBuilder<> B(BasicBlock::Create(Ctx, "entry", F));
  B.CreateRet(B.CreateThreadLocalAddress(&GV));
  return F;
}

// Copies Chain (the address computation, then pointer arithmetic on it) before InsertBefore and
// returns the copy of its last element. A thread-local variable's address is computed by a call (see
// addressFunction).
static Value *copyChainBefore(ArrayRef<Instruction *> Chain, Instruction *InsertBefore) {
  Instruction *Previous = nullptr;
  for (size_t Index = 0; Index < Chain.size(); ++Index) {
    Instruction *Copy = Chain[Index]->clone();
    auto *Call = dyn_cast<CallInst>(Copy);
    if (Index == 0 && Call && Call->getIntrinsicID() == Intrinsic::threadlocal_address) {
      auto &GV = *cast<GlobalValue>(Call->getArgOperand(0)->stripPointerCasts());
      Copy->deleteValue();
      Copy = CallInst::Create(addressFunction(GV));
    }
    Copy->setName(Chain[Index]->getName() + ".rederived");
    Copy->insertBefore(InsertBefore);
    if (Previous)
      Copy->replaceUsesOfWith(Chain[Index - 1], Previous);
    Previous = Copy;
  }
  return Previous;
}

unsigned safepoint::rederiveThreadLocalAddresses(Function &F) {
  if (!ClRederiveTls)
    return 0;
  SmallVector<Instruction *, 8> Defs;
  for (BasicBlock &BB : F)
    for (Instruction &I : BB)
      if (computesThreadAddress(I))
        Defs.push_back(&I);

  unsigned Rederived = 0;
  for (Instruction *Def : Defs) {
    SwitchReachability Reach(*Def);
    // Walk the address and the pointer arithmetic on it; rewrite each other use it reaches.
    SmallVector<SmallVector<Instruction *, 4>, 8> Work{{Def}};
    while (!Work.empty()) {
      SmallVector<Instruction *, 4> Chain = Work.pop_back_val();
      Instruction *Value = Chain.back();
      for (Use &U : make_early_inc_range(Value->uses())) {
        auto *User = cast<Instruction>(U.getUser());
        if (isa<GetElementPtrInst>(User) || isa<BitCastInst>(User) ||
            isa<AddrSpaceCastInst>(User) || isa<PtrToIntInst>(User)) {
          SmallVector<Instruction *, 4> Longer = Chain;
          Longer.push_back(User);
          Work.push_back(std::move(Longer));
          continue;
        }
        Instruction *At = User;
        if (auto *Phi = dyn_cast<PHINode>(User))
          At = Phi->getIncomingBlock(U)->getTerminator();
        if (!Reach.separates(*At))
          continue;
        U.set(copyChainBefore(Chain, At));
        ++Rederived;
      }
    }
    // The computation before the switch point may have no use left.
    RecursivelyDeleteTriviallyDeadInstructions(Def);
  }
  NumRederived += Rederived;
  return Rederived;
}
