//===- ThreadLocalAddresses.cpp - TLS addresses follow the green thread ---===//
#include "ThreadLocalAddresses.h"

#include "safepoint_abi.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/Statistic.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/ValueHandle.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Transforms/Utils/Local.h"
#include "llvm/Transforms/Utils/SSAUpdater.h"

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

// The functions that re-derive a thread-local variable's address (addressFunction).
static constexpr StringRef AddressFunctionPrefix = "__sp_tls_address.";

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
  const Function *Callee = Call->getCalledFunction();
  if (Callee && Callee->getName().starts_with(AddressFunctionPrefix))
    return false;
  return !computesThreadAddress(I);
}

static bool hasSwitchPoint(BasicBlock::const_iterator From, BasicBlock::const_iterator To) {
  for (; From != To; ++From)
    if (isSwitchPoint(*From))
      return true;
  return false;
}

// Where a use reads its value: at the use, or for a phi at the end of the incoming block.
static Instruction *useSite(const Use &U) {
  auto *User = cast<Instruction>(U.getUser());
  if (auto *Phi = dyn_cast<PHINode>(User))
    return Phi->getIncomingBlock(U)->getTerminator();
  return User;
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

  // Whether code after Def may enter BB before it comes back to Def's block.
  bool enters(BasicBlock *BB) const { return Entered.count(BB); }

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
  std::string Name = (AddressFunctionPrefix + GV.getName()).str();
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

namespace {
// Where a fresh copy of the address is available: one right after each switch point that code
// after Def may pass, so a use finds the address computed since the last switch point on every path
// to it, through phis where paths merge. A loop whose poll sits in a block of its own (a chunk's
// end) thus computes the address once per chunk, not once per iteration.
class FreshAddresses {
public:
  FreshAddresses(Instruction &Def, const SwitchReachability &Reach)
      : Def(Def), SSA(&InsertedPhis) {
    SSA.Initialize(Def.getType(), Def.getName());
    addDefinition(Def);
    SmallVector<Instruction *, 8> Switches;
    BasicBlock *Home = Def.getParent();
    for (Instruction &I : make_range(std::next(Def.getIterator()), Home->end()))
      if (isSwitchPoint(I))
        Switches.push_back(&I);
    for (BasicBlock &BB : *Home->getParent())
      if (Reach.enters(&BB))
        for (Instruction &I : BB)
          if (isSwitchPoint(I))
            Switches.push_back(&I);
    for (Instruction *Switch : Switches)
      copyAfter(*Switch);
    for (auto &[BB, Last] : LastInBlock)
      SSA.AddAvailableValue(BB, Last);
  }

  // The address as the code right before At may use it.
  Value *before(Instruction &At) {
    BasicBlock *BB = At.getParent();
    auto It = LastInBlock.find(BB);
    if (It != LastInBlock.end()) {
      // The latest definition in this block that precedes At, if one does.
      Instruction *Latest = nullptr;
      for (Instruction *D : InBlock[BB])
        if (D->comesBefore(&At) && (!Latest || Latest->comesBefore(D)))
          Latest = D;
      if (Latest)
        return Latest;
    }
    return SSA.GetValueInMiddleOfBlock(BB);
  }

  // Copies and phis that no use needed go again.
  void eraseUnused() {
    SmallVector<Instruction *, 16> Added(Copies.begin(), Copies.end());
    Added.append(InsertedPhis.begin(), InsertedPhis.end());
    for (bool Erased = true; Erased;) {
      Erased = false;
      for (Instruction *&I : Added)
        if (I && I->use_empty()) {
          I->eraseFromParent();
          I = nullptr;
          Erased = true;
        }
    }
  }

private:
  void addDefinition(Instruction &D) {
    InBlock[D.getParent()].push_back(&D);
    Instruction *&Last = LastInBlock[D.getParent()];
    if (!Last || Last->comesBefore(&D))
      Last = &D;
  }

  // A copy right after a call, or where each successor of an invoke begins (a landing pad: functions
  // with funclet-based exception handling, whose catchswitch blocks hold nothing else, are not
  // instrumented). Nothing follows a musttail call but its return.
  void copyAfter(Instruction &Switch) {
    if (auto *Call = dyn_cast<CallInst>(&Switch); Call && Call->isMustTailCall())
      return;
    if (!Switch.isTerminator()) {
      insertCopy(*Switch.getNextNode());
      return;
    }
    for (BasicBlock *Succ : successors(&Switch))
      insertCopy(*Succ->getFirstInsertionPt());
  }

  void insertCopy(Instruction &InsertBefore) {
    Instruction *Copy = Def.clone();
    auto *Call = dyn_cast<CallInst>(Copy);
    if (Call && Call->getIntrinsicID() == Intrinsic::threadlocal_address) {
      auto &GV = *cast<GlobalValue>(Call->getArgOperand(0)->stripPointerCasts());
      Copy->deleteValue();
      Copy = CallInst::Create(addressFunction(GV));
    }
    Copy->setName(Def.getName() + ".rederived");
    Copy->insertBefore(&InsertBefore);
    Copies.push_back(Copy);
    addDefinition(*Copy);
  }

  Instruction &Def;
  SmallVector<PHINode *, 8> InsertedPhis;
  SSAUpdater SSA;
  SmallVector<Instruction *, 8> Copies;
  DenseMap<BasicBlock *, SmallVector<Instruction *, 2>> InBlock;
  DenseMap<BasicBlock *, Instruction *> LastInBlock;
};
} // namespace

// Copies the pointer arithmetic of Chain (Chain[0] is the address computation) before At, on top
// of Address, and returns the copy of its last element.
static Value *copyArithmeticBefore(ArrayRef<Instruction *> Chain, Value *Address, Instruction *At) {
  Value *Previous = Address;
  for (size_t Index = 1; Index < Chain.size(); ++Index) {
    Instruction *Copy = Chain[Index]->clone();
    Copy->setName(Chain[Index]->getName() + ".rederived");
    Copy->insertBefore(At);
    Copy->replaceUsesOfWith(Chain[Index - 1], Previous);
    Previous = Copy;
  }
  return Previous;
}

unsigned safepoint::rederiveThreadLocalAddresses(Function &F) {
  if (!ClRederiveTls)
    return 0;
  // Handles: deleting what re-derivation left unused may delete another computation.
  SmallVector<WeakTrackingVH, 8> Defs;
  for (BasicBlock &BB : F)
    for (Instruction &I : BB)
      if (computesThreadAddress(I))
        Defs.push_back(&I);

  unsigned Rederived = 0;
  for (WeakTrackingVH &Handle : Defs) {
    auto *Def = cast_or_null<Instruction>(Handle);
    if (!Def)
      continue;
    SwitchReachability Reach(*Def);
    // Walk the address and the pointer arithmetic on it, to each other use a switch point may
    // separate from the address's computation.
    struct StaleUse {
      Use *U;
      SmallVector<Instruction *, 4> Chain;
    };
    SmallVector<StaleUse, 8> Stale;
    SmallVector<SmallVector<Instruction *, 4>, 8> Work{{Def}};
    while (!Work.empty()) {
      SmallVector<Instruction *, 4> Chain = Work.pop_back_val();
      for (Use &U : Chain.back()->uses()) {
        auto *User = cast<Instruction>(U.getUser());
        if (isa<GetElementPtrInst>(User) || isa<BitCastInst>(User) ||
            isa<AddrSpaceCastInst>(User) || isa<PtrToIntInst>(User)) {
          SmallVector<Instruction *, 4> Longer = Chain;
          Longer.push_back(User);
          Work.push_back(std::move(Longer));
        } else if (Reach.separates(*useSite(U))) {
          Stale.push_back({&U, Chain});
        }
      }
    }
    if (Stale.empty())
      continue;
    FreshAddresses Fresh(*Def, Reach);
    for (StaleUse &S : Stale) {
      Instruction *At = useSite(*S.U);
      S.U->set(copyArithmeticBefore(S.Chain, Fresh.before(*At), At));
      ++Rederived;
    }
    Fresh.eraseUnused();
    // The computation before the switch point, and arithmetic on it, may have no use left.
    SmallVector<WeakTrackingVH, 8> Replaced;
    for (StaleUse &S : Stale)
      Replaced.push_back(S.Chain.back());
    for (WeakTrackingVH &V : Replaced)
      if (V)
        RecursivelyDeleteTriviallyDeadInstructions(V);
  }
  NumRederived += Rederived;
  return Rederived;
}
