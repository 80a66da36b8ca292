#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Plots of the comparison benchmark, on the host (gnuplot): from a results
# directory's compare.csv (and the CSVs given after it, parts of the same
# run), PNGs in the directory of the mean goodput (with its 95% confidence
# interval) of each system, a line per system (of the single paths, path 1
# only), like the reference paper's figures; METRIC is download (the
# fixed-size download) or iperf3:
#   METRIC-rtt.png               two equal paths, no loss, against the RTT
#   METRIC-ratio-R.png           two paths of equal rates, no loss, path 1
#                                at R ms, against path 2's RTT / path 1's
#   METRIC-loss-KIND-R1-R2.png   two paths at R1 and R2 ms, against the loss
#                                on each (KIND uniform or ge: geMEAN cells);
#                                0 is the lossless cell of the same RTTs
# A figure needs at least two of its cells among the results.
#
# usage: tools/bench-plot.sh DIR [CSV...]
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:?usage: tools/bench-plot.sh DIR}
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

shift
python3 "$TOP/tools/bench-summary.py" --plot-data "$data" "$dir/compare.csv" "$@"
# Colours by system, dashed for OpenVPN.
colours=(black red blue dark-green orange purple brown cyan magenta
	dark-grey gold olive navy salmon)
while read -r metric name systems; do
	case $name in
	rtt)
		title="Two equal paths, no loss"
		xlabel="RTT of each path, ms"
		logx=0
		;;
	ratio-*)
		title="Two paths, no loss, path 1 at ${name#ratio-} ms"
		xlabel="RTT ratio, path 2 : path 1"
		logx=1
		;;
	loss-*)
		IFS=- read -r _ kind r1 r2 <<< "$name"
		title="Two paths, RTT $r1 and $r2 ms, $kind loss on each"
		[ "$kind" = ge ] && title+=" (Gilbert-Elliott, bursts)"
		xlabel="loss each way, %"
		logx=0
		;;
	*) continue ;;
	esac
	plot=
	i=0
	for s in ${systems//,/ }; do
		dt=1
		case $s in ovpn-* | *-ovpn) dt=2 ;; esac
		plot+="${plot:+, }'$data/$metric-$name.dat' index $i using 1:2:3 with yerrorlines"
		plot+=" lw 2 lc rgb '${colours[$((i % ${#colours[@]}))]}' dt $dt title '$s'"
		i=$((i + 1))
	done
	gnuplot <<- EOF
		set terminal pngcairo size 1100,650 noenhanced font ",10"
		set output "$dir/$metric-$name.png"
		set title "$title"
		set xlabel "$xlabel"
		set ylabel "TCP goodput ($metric), Mbit/s (mean, 95% CI)"
		set key outside right top
		set grid
		set offsets graph 0.04, graph 0.04, 0, 0
		set yrange [0:*]
		$( [ "$logx" = 1 ] && echo "set logscale x 2" )
		plot $plot
	EOF
	echo "$dir/$metric-$name.png"
done < "$data/index"
[ -s "$data/index" ] ||
	echo "bench-plot: no figure: no two cells of one kind among the results" >&2
