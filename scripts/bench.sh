#!/bin/sh
# Measures learnloop on generated organizations and prints a report for docs/PERFORMANCE.md:
# demo generation, HRIS import (SQLite and, when LEARNLOOP_TEST_POSTGRES_DSN is set, PostgreSQL),
# directory, home and training page server times, assignment rules, and page throughput as a
# ratio to a bare net/http handler.
#
#   scripts/bench.sh [SIZE ...]        sizes default to 1000 10000 100000
#
# Needs Go, wrk (apt-get install wrk) and curl; the machine should be otherwise idle.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
sizes=${*:-1000 10000 100000}
out=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$out"' EXIT
server=""
go build -o "$out/learnloop" ./cmd/learnloop
pw="bench password 1"

echo "# learnloop benchmarks, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk '/model name/ {sub(/.*: /, ""); print; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GB, $(go version | cut -d' ' -f3)"
echo
echo "## Demo generation (learnloop demo --no-serve, SQLite)"
for n in $sizes; do
	start=$(date +%s.%N)
	"$out/learnloop" demo --no-serve --people "$n" --db "$out/demo-$n.db" --password "$pw" --log-level warn >/dev/null
	end=$(date +%s.%N)
	echo "$n people: $(echo "$end - $start" | bc | xargs printf '%.1f') s"
done
echo
echo "## Import of an HRIS file (go test -bench Import ./internal/org)"
for n in $sizes; do
	LEARNLOOP_BENCH_PEOPLE=$n go test -run XXX -bench 'Import$|ReimportUnchanged' -benchtime 1x -timeout 60m ./internal/org/ |
		awk -v n="$n" '/^Benchmark/ {printf "%s people %s: %.2f s\n", n, $1, $3/1e9}'
done
echo
echo "## Server time per page (Server-Timing, go test -bench Pages ./internal/server)"
for n in $sizes; do
	echo "### $n people"
	LEARNLOOP_BENCH_PEOPLE=$n go test -run XXX -bench Pages -benchtime 300x -timeout 60m ./internal/server/ |
		awk '/^Benchmark/ {name=$1; sub(/^BenchmarkPages\//, "", name); sub(/-[0-9]+$/, "", name); printf "%-28s p50 %7s ms  p95 %7s ms  p99 %7s ms\n", name, $5, $7, $9}'
done
echo
echo "## Training pages and rules (go test -bench 'TrainingPages|TrainingRules' ./internal/server)"
for n in $sizes; do
	echo "### $n people"
	LEARNLOOP_BENCH_PEOPLE=$n go test -run XXX -bench 'TrainingPages|TrainingRules' -benchtime 20x -timeout 60m ./internal/server/ |
		awk '/^BenchmarkTrainingPages/ {name=$1; sub(/^BenchmarkTrainingPages\//, "", name); sub(/-[0-9]+$/, "", name); printf "%-36s p50 %7s ms  p95 %7s ms\n", name, $5, $7}
			/^BenchmarkTrainingRules/ {name=$1; sub(/^BenchmarkTrainingRules\//, "", name); sub(/-[0-9]+$/, "", name); printf "rules %-30s %.2f s\n", name, $3/1e9}'
done
echo
big=$(echo $sizes | tr ' ' '\n' | sort -n | tail -1)
echo "## Throughput with wrk (50 connections, 10 s), $big people, as a ratio to bare net/http in the same run"
"$out/learnloop" serve --db "$out/demo-$big.db" --addr 127.0.0.1:18080 --log-level warn 2>"$out/serve.log" &
server=$!
sleep 2
jar="$out/jar"
csrf=$(curl -s -c "$jar" -b "$jar" http://127.0.0.1:18080/login | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n1)
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf_token=$csrf" --data-urlencode "email=hr@northwind.example" \
	--data-urlencode "password=$pw" http://127.0.0.1:18080/login
cookie=$(awk '$6 == "ll_session" {print $6 "=" $7}' "$jar")
for path in / "/people" "/people?q=smith" "/api/v1/people?q=smi"; do
	printf '%-24s ' "$path"
	bash ../shared/tools/page-bench/page-bench.sh "http://127.0.0.1:18080$path" "$cookie" 10 50 2>&1 | tail -n1
done
kill $server 2>/dev/null || true
server=""
echo
echo "## LRS ingest and queries with wrk (../shared/tools/xapi-bench, 10 connections, 10 s), fresh SQLite store"
"$out/learnloop" migrate --db "$out/lrs.db" --log-level warn >/dev/null
cred=$("$out/learnloop" xapi client create --db "$out/lrs.db" --name bench --scopes all --format json --log-level warn)
key=$(echo "$cred" | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
secret=$(echo "$cred" | sed -n 's/.*"secret":"\([^"]*\)".*/\1/p')
"$out/learnloop" serve --db "$out/lrs.db" --addr 127.0.0.1:18081 --log-level warn 2>"$out/lrs.log" &
server=$!
sleep 2
for v in 1.0.3 2.0.0; do
	echo "### xAPI $v"
	bash ../shared/tools/xapi-bench/bench.sh http://127.0.0.1:18081/xapi/statements "$key" "$secret" "$v" 10
done
echo "resident memory of the server after the runs: $(ps -o rss= -p $server | awk '{printf "%.0f MB", $1/1024}')"
echo
echo "## LRS ingest over HTTP with pre-generated statements (go test -bench Post ./internal/lrs/xapihttp)"
go test -run XXX -bench Post -benchtime 300x ./internal/lrs/xapihttp/ | awk '/^Benchmark/ {print $1, $(NF-1), $NF}'
echo
echo "## LRS queries over 1 million stored statements (go test -bench Queries ./internal/lrs; kept as learnloop-bench-xapi-1000000)"
LEARNLOOP_BENCH_LRS=1 go test -run XXX -bench Queries -benchtime 300x -timeout 120m ./internal/lrs/ |
	awk '/^BenchmarkQueries/ {name=$1; sub(/^BenchmarkQueries\//, "", name); sub(/-[0-9]+$/, "", name); printf "%-32s p50 %7s ms  p95 %7s ms  p99 %7s ms\n", name, $3, $5, $7}'
