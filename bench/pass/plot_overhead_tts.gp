# plot_overhead_tts.gp - the overhead / time-to-safepoint trade of bench/pass/run.py, one colour per
# placement variant: run-time overhead (circle: geomean CPU-time ratio to the plain build; triangle:
# geomean ratio of instructions executed) against the p99 time from a preemption request to the stop
# (the median over the benchmarks; the bar runs from the least to the greatest). run.py calls it as
#   gnuplot -e "data='tts.dat'; out='overhead_vs_tts.svg'; quantum=500; names='v1 v2 ...'" THIS
# where names lists the variants in the order of tts.dat's rows.
set terminal svg size 1000,560 dynamic font "sans,12" background rgb "white"
set output out
set title sprintf("Polls: overhead against time to safepoint (quantum %d us, one P)", quantum)
set xlabel "p99 time from preemption request to stop, us (median over benchmarks; bar: least to greatest)"
set ylabel "ratio to plain clang -O2 (geomean)"
set logscale x
set grid
set key outside right top box title "circle: CPU time\ntriangle: instructions"
set offsets graph 0.05, graph 0.05, graph 0.08, graph 0.08
n = words(names)
plot for [i=1:n] data every ::(i-1)::(i-1) using 5:2:4:6 with xerrorbars pt 7 ps 1.2 lc i \
       title word(names, i), \
     for [i=1:n] data every ::(i-1)::(i-1) using 5:3 with points pt 9 ps 1.3 lc i notitle
