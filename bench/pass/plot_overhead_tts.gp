# plot_overhead_tts.gp - the overhead / time-to-safepoint trade of bench/pass/run.py, one point per
# placement variant: run-time overhead (geomean CPU-time ratio to the plain build, and the geomean
# ratio of instructions executed) against the p99 time from a preemption request to the stop (the
# median over the benchmarks, the bar from the least to the greatest). run.py calls it as
#   gnuplot -e "data='tts.dat'; out='overhead_vs_tts.svg'; quantum=500" plot_overhead_tts.gp
set terminal svg size 900,560 dynamic font "sans,12" background rgb "white"
set output out
set title sprintf("Polls: overhead against time to safepoint (p99, quantum %d us, one P)", quantum)
set xlabel "p99 time from preemption request to stop, us (median over benchmarks; bar: least to greatest)"
set ylabel "overhead: ratio to plain clang -O2 (geomean)"
set logscale x
set grid
set key top right box opaque
set offsets graph 0.05, graph 0.2, graph 0.08, graph 0.08
plot data using 5:2:4:6 with xerrorbars pt 7 ps 1.2 lc rgb "#1f77b4" title "CPU time", \
     data using 5:3 with points pt 9 ps 1.3 lc rgb "#d62728" title "instructions", \
     data using 5:2:1 with labels offset char 1,char 0.8 left font "sans,10" notitle
