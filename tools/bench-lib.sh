#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the benchmarks run in the VM (tools/bench-guest.sh,
# tools/bench-compare-guest.sh): emulated paths from a cell's description,
# iperf3 goodput, fixed-size downloads over HTTP, medians; and
# selftests/topo.sh's test beds. BENCH_RUNS (3) runs of BENCH_TIME (10)
# seconds each.
#
# A path is RATE/RTT[/LOSS]: Mbit/s, ms (round trip, half each way) and a
# loss each way, either uniform in % (e.g. 1) or Gilbert-Elliott bursts:
#   geMEAN           mean loss MEAN % in bursts: netem "loss gemodel P 70% 100% 0%"
#                    with P = MEAN * 70 / (100 - MEAN) %: a bad state of mean
#                    length 1/0.7 = 1.43 packets, every packet lost in it and
#                    none outside, so 91% of bursts are of 1 or 2 packets
#                    (the reference paper asks for more than 90%);
#   geP:R:1-H:1-K    netem's own four parameters, all in %: P good to bad,
#                    R bad to good, 1-H loss in bad, 1-K loss in good.

# shellcheck source=selftests/topo.sh
. "$(dirname "${BASH_SOURCE[0]}")/../selftests/topo.sh"

# shellcheck disable=SC2034 # for the scripts that source this one
RUNS=${BENCH_RUNS:-3}
# shellcheck disable=SC2034
TIME=${BENCH_TIME:-10}

# fail MSG: as in selftests/lib.sh, for topo.sh's helpers.
declare -F fail > /dev/null || fail()
{
	echo "FAIL: $*" >&2
	return 1
}

# loss_args LOSS: netem's arguments for a path's LOSS (none when empty).
loss_args()
{
	local spec=$1 p r h k

	case $spec in
	'') ;;
	ge*:*)
		IFS=: read -r p r h k <<< "${spec#ge}"
		echo "loss gemodel ${p}% ${r:-100}% ${h:-100}% ${k:-0}%"
		;;
	ge*)
		p=$(awk -v m="${spec#ge}" 'BEGIN { printf "%.4f", m * 70 / (100 - m) }')
		echo "loss gemodel ${p}% 70% 100% 0%"
		;;
	*) echo "loss ${spec}%" ;;
	esac
}

# shape PATH...: each path (RATE/RTT[/LOSS]) on v1, v2, ... both ways: half
# the RTT each way, the rate, the loss, and a queue of the bandwidth-delay
# product plus 50 ms.
shape()
{
	local i=1 path rate rtt loss limit

	for path in "$@"; do
		IFS=/ read -r rate rtt loss <<< "$path"
		limit=$(awk -v r="$rate" -v d="$rtt" \
			'BEGIN { printf "%d", r * 1000000 / 8 * (d / 2 + 50) / 1000 / 1514 + 10 }')
		# shellcheck disable=SC2046
		set -- delay "$(awk -v d="$rtt" 'BEGIN { print d / 2 }')ms" rate "${rate}mbit" \
			limit "$limit" $(loss_args "$loss")
		netem "$A" "v$i" "$@"
		netem "$B" "v$i" "$@"
		i=$((i + 1))
	done
}

median()
{
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# iperf3_server NS [WRAPPER...]: iperf3 -s in NS on every address, as a
# daemon, started by WRAPPER (e.g. mptcpize run) if given; waits until it
# listens.
iperf3_server()
{
	local ns=$1

	shift
	ip netns exec "$ns" "$@" iperf3 -s -D
	busywait 5000 sh -c "ip netns exec $ns ss -Hltn 'sport = :5201' | grep -q ."
}

# goodput_to NS ADDR SECONDS [WRAPPER...]: one iperf3 run from NS to ADDR,
# in Mbit/s, two decimals.
goodput_to()
{
	local ns=$1 addr=$2 t=$3

	shift 3
	ip netns exec "$ns" "$@" iperf3 -c "$addr" -t "$t" -J |
		jq '.end.sum_received.bits_per_second / 1000000 * 100 | round / 100'
}

# http_server NS DIR [WRAPPER...]: a web server in NS on port 8080, every
# address, serving DIR; waits until it listens. cleanup_ns stops it.
# busybox's, which starts at once, unless a WRAPPER is given (e.g. mptcpize
# run, which needs a dynamically linked server): then Python's, started by
# it.
http_server()
{
	local ns=$1 dir=$2

	shift 2
	if [ $# = 0 ]; then
		ip netns exec "$ns" busybox httpd -f -p 8080 -h "$dir" &
	else
		ip netns exec "$ns" "$@" python3 -m http.server --bind 0.0.0.0 \
			--directory "$dir" 8080 > /dev/null 2>&1 &
	fi
	busywait 20000 sh -c "ip netns exec $ns ss -Hltn 'sport = :8080' | grep -q ."
}

# download_from NS URL MAX_SECONDS [WRAPPER...]: fetches URL from NS with
# curl, in Mbit/s (two decimals): the bytes over the whole time, connection
# included. Fails if the download did not complete in MAX_SECONDS.
download_from()
{
	local ns=$1 url=$2 max=$3 res

	shift 3
	res=$(ip netns exec "$ns" "$@" curl -fsS -o /dev/null --max-time "$max" \
		-w '%{size_download} %{time_total}' "$url") || return 1
	awk '{ printf "%.2f\n", $1 * 8 / $2 / 1000000 }' <<< "$res"
}
