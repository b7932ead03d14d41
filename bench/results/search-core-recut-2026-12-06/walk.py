# The walk of a campaign's configuration (issue 26, structure review walk 1), re-counted by one stated method on both
# versions: from CampaignRunner.start of a default local campaign (evolution, backend auto -> DL4J on the CPU, no
# ladder, a new database) through every AnyNAS method that receives the configuration or a value taken from it
# (settings, fidelity, ladder, budget, stop criteria, seed, workers, db path, cache flag), in execution order, one
# candidate's path included once. stop = a method entered; return = a stop in a file visited before, entered from
# another file; module switch = consecutive stops in different modules.
import sys
# NOW (re-counted at git HEAD 9f56a65 by the same method): the same walk on the current modules.
# The old evaluator module is now datasets (org.anynas.data), trainer (org.anynas.trainer), dl4j (org.anynas.dl4j)
# and torch (org.anynas.torch); DbSearchLog is in campaign. As in AFTER, a module other than campaign and search is
# entered, not walked through: its stops are the methods campaign or search code calls in it. Every difference from
# AFTER, with the line that justifies it, is listed in changes.md beside this file.
BEFORE = """
search CampaignRunner start
search Preflight check
space DesignSpace load
search CampaignRunner dataset
evaluator Datasets load
search CampaignConfig fittedTo
evaluator Dataset check
space DesignSpace layout
search CampaignConfig settings
space Sampler of
space Sampler requireCandidates
results-db ResultsStore normalise
search CampaignRunner logFile
results-db ResultsStore normalise
search Backends open
search CampaignConfig backendChoice
search BackendChoice resolve
evaluator TorchProbe nvidiaDevicePresent
search Backends dl4j
search Backends dl4jTrainer
evaluator ProxyTrainer of
evaluator MemoryLimit machine
search SlotPool shared
results-db ResultsStore open
search CampaignRunner refuseExisting
search Search inFlightFor
search CampaignConfig withInFlight
search CampaignConfig toYaml
results-db ResultsStore createCampaign
search CampaignRunner run
space DesignSpace layout
results-db ResultsStore setDatasetSummary
search CampaignConfig ladder
search DbSearchLog <init>
results-db ResultsStore storedCandidates
results-db ResultsStore claim
search CampaignRunner checkpointDir
results-db ResultsStore normalise
search Search of
search ArchitectureCodec of
space Sampler of
search Search withStop
search Search withLadder
results-db Heartbeat start
search Search run
search Search runSteadyState
search RegularizedEvolution <init>
search Promotions <init>
search Search admits
search RegularizedEvolution propose
search Search score
search DbSearchLog cached
results-db ResultsStore cachedIn
search Search train
evaluator TrainingLeg whole
search SlotPool submit
evaluator ProxyTrainer evaluate
search Search record
search DbSearchLog record
results-db ResultsStore recordCandidate
search Search consume
search Promotions known
search Search generationDone
search DbSearchLog generation
results-db ResultsStore recordGeneration
results-db ResultsStore setCampaignStatus
"""
AFTER = """
campaign CampaignRunner start
campaign Preflight check
space DesignSpace load
campaign CampaignRunner dataset
evaluator Datasets load
campaign CampaignConfig fittedTo
evaluator Dataset check
space DesignSpace layout
campaign CampaignConfig settings
space Sampler of
space Sampler requireCandidates
results-db ResultsStore normalise
campaign CampaignRunner logFile
results-db ResultsStore normalise
campaign Backends open
campaign CampaignConfig backendChoice
campaign BackendChoice resolve
evaluator TorchProbe nvidiaDevicePresent
campaign Backends dl4j
campaign Backends dl4jTrainer
evaluator ProxyTrainer of
evaluator MemoryLimit machine
search SlotPool shared
results-db ResultsStore open
campaign CampaignRunner refuseExisting
search Search inFlightFor
campaign CampaignConfig withInFlight
campaign CampaignConfig toYaml
results-db ResultsStore createCampaign
campaign CampaignRunner run
space DesignSpace layout
results-db ResultsStore setDatasetSummary
campaign CampaignConfig ladder
search DbSearchLog <init>
results-db ResultsStore storedCandidates
campaign CampaignRunner checkpointDir
results-db ResultsStore normalise
search Search builder
results-db Heartbeat start
search Search run
space Sampler of
search LadderPolicy <init>
search Promotions <init>
search Scorer <init>
search Generations <init>
search Proposer of
search RegularizedEvolution <init>
search Search admits
search LadderPolicy promotion
search RegularizedEvolution ask
search Scorer score
search LadderPolicy epochs
search DbSearchLog cached
results-db ResultsStore cachedIn
search Scorer train
search LadderPolicy leg
evaluator TrainingLeg whole
search SlotPool submit
evaluator ProxyTrainer evaluate
search Scorer record
search DbSearchLog record
results-db ResultsStore recordCandidate
search Search told
search LadderPolicy known
search Generations counted
search DbSearchLog generation
results-db ResultsStore recordGeneration
results-db ResultsStore setCampaignStatus
"""
NOW = """
campaign CampaignRunner start
campaign Preflight check
space DesignSpace load
campaign CampaignRunner dataset
datasets Datasets load
campaign CampaignConfig fittedTo
datasets Dataset check
space DesignSpace genome
campaign CampaignConfig settings
space Sampler of
space Sampler requireCandidates
results-db ResultsStore normalise
campaign CampaignRunner logFile
results-db ResultsStore normalise
campaign Backends open
campaign CampaignConfig backendChoice
campaign BackendChoice resolve
torch TorchProbe nvidiaDevicePresent
campaign Backends dl4j
campaign Backends dl4jTrainer
dl4j ProxyTrainer of
dl4j MemoryLimit machine
search SlotPool shared
results-db ResultsStore open
campaign CampaignRunner refuseExisting
search Search inFlightFor
campaign CampaignConfig withInFlight
campaign CampaignConfig toYaml
results-db ResultsStore createCampaign
campaign CampaignRunner run
space DesignSpace genome
results-db ResultsStore setDatasetSummary
campaign CampaignConfig ladder
campaign DbSearchLog <init>
results-db ResultsStore storedCandidates
search Search builder
campaign CampaignRunner checkpointDir
results-db ResultsStore normalise
results-db Heartbeat start
search Search run
space Sampler of
search LadderPolicy <init>
search Promotions <init>
search Generations <init>
search Scorer <init>
search Proposer of
search RegularizedEvolution <init>
search Search admits
search LadderPolicy promotion
search RegularizedEvolution ask
search Scorer score
search LadderPolicy epochs
campaign DbSearchLog cached
results-db ResultsStore cached
search Scorer train
search LadderPolicy leg
trainer TrainingLeg whole
campaign DbSearchLog training
results-db ResultsStore trainingStarted
search SlotPool submit
dl4j ProxyTrainer evaluate
search Scorer record
campaign DbSearchLog record
results-db EvaluationRow of
results-db ResultsStore recordCandidate
search Search told
search LadderPolicy known
search Generations counted
campaign DbSearchLog generation
results-db ResultsStore recordGeneration
results-db ResultsStore setCampaignStatus
"""
def count(text, name, upto=None):
    stops = [l.split() for l in text.strip().splitlines()]
    if upto: stops = stops[:upto]
    seen, returns, switches, mod_returns, seen_mod = set(), 0, 0, 0, set()
    prev = None
    for m, f, meth in stops:
        key = (m, f)
        if prev and key != prev[:2]:
            if key in seen: returns += 1
        if prev and m != prev[0]:
            switches += 1
            if m in seen_mod: mod_returns += 1
        seen.add(key); seen_mod.add(m); prev = (m, f, meth)
    seq = []
    for m, _, _ in stops:
        if not seq or seq[-1] != m: seq.append(m)
    return (f"{name}: {len(stops)} stops in {len(seen)} files, {returns} returns to a file already visited, "
            f"{switches} module switches ({mod_returns} back into a module already visited)\n  modules in order: " + " > ".join(seq))
assembly_before = BEFORE.strip().splitlines().index("search Search run")
assembly_after = AFTER.strip().splitlines().index("search Search run")
print(count(BEFORE, "before, whole walk"))
print(count(AFTER, "after, whole walk"))
print(count(BEFORE, "before, assembly (start to Search.run)", assembly_before))
print(count(AFTER, "after, assembly (start to Search.run)", assembly_after))
b = BEFORE.strip().splitlines()[assembly_before:]; a = AFTER.strip().splitlines()[assembly_after:]
print(count("\n".join(b), "before, search run"))
print(count("\n".join(a), "after, search run"))
def pairs(text):
    mods = [l.split()[0] for l in text.strip().splitlines()]
    from collections import Counter
    c = Counter((a, b) for a, b in zip(mods, mods[1:]) if a != b)
    return {k: v for k, v in sorted(c.items())}
print("before transitions:", pairs(BEFORE))
print("after transitions:", pairs(AFTER))
def files(text):
    out = []
    for l in text.strip().splitlines():
        m, f, _ = l.split()
        if (m, f) not in out: out.append((m, f))
    return out
print("before files:", ", ".join(f for _, f in files(BEFORE)))
print("after files:", ", ".join(f for _, f in files(AFTER)))

assembly_now = NOW.strip().splitlines().index("search Search run")
print(count(NOW, "now, whole walk"))
print(count(NOW, "now, assembly (start to Search.run)", assembly_now))
n = NOW.strip().splitlines()[assembly_now:]
print(count("\n".join(n), "now, search run"))
print("now transitions:", pairs(NOW))
print("now files:", ", ".join(f for _, f in files(NOW)))
# the record's last column: transitions between search and results-db or the evaluator (before and after), or the
# modules the evaluator became (now: datasets, trainer, dl4j, torch)
LEAF = {"results-db", "evaluator", "datasets", "trainer", "dl4j", "torch"}
def search_leaf(text):
    return sum(v for (a, b), v in pairs(text).items() if (a == "search" and b in LEAF) or (b == "search" and a in LEAF))
for name, text, cut in (("before", BEFORE, assembly_before), ("after", AFTER, assembly_after), ("now", NOW, assembly_now)):
    lines = text.strip().splitlines()
    print(f"{name}: search <-> results-db / evaluator (or its successor modules) transitions: whole {search_leaf(text)}, "
          f"assembly {search_leaf(chr(10).join(lines[:cut]))}, search run {search_leaf(chr(10).join(lines[cut:]))}")
