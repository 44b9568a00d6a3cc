module safepoint/bench/go

go 1.19
