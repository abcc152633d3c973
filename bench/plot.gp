# plot.gp - bench/out/plot.png: whole-process time against work size, per
# system (gnuplot -e "dir='bench/out'" plot.gp; bench/run does it).
if (!exists("dir")) dir = "bench/out"
load dir."/systems.gp"
set terminal pngcairo size 1200,520 font ",10" noenhanced
set output dir."/plot.png"
set multiplot layout 1,2 title "asl2c and its peers: median wall time of one whole process (min..max bars)"
set logscale xy
set grid
set key top left
set offsets 0, 0, graph 0.35, 0
set ylabel "seconds"
set format y "%g"
set format x "%.0f"
label(s) = s eq "asl2c" ? "asl2c" : s eq "floor" ? "C floor (jansson)" : \
           s eq "als" ? "aws-local-stepfunctions 3.0.0" : s eq "moto" ? "moto" : s
set title "loop: Pass (States.MathAdd) + Choice"
set xlabel "state transitions"
set xrange [500:2e6]
plot for [s in loop_systems] dir."/plot-loop-".s.".dat" using 1:2:3:4 \
     with yerrorlines lw 2 pt 7 title label(s)
set title "map: inline Map, one Pass per item"
set xlabel "items"
set xrange [500:2e5]
plot for [s in map_systems] dir."/plot-map-".s.".dat" using 1:2:3:4 \
     with yerrorlines lw 2 pt 7 title label(s)
unset multiplot
