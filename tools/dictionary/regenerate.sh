#!/bin/sh
# Regenerates crates/analysis/data/polimorf.jwd from Debian's libmorfologik-stemming2-java.
# Needs: apt-get (Debian/Ubuntu), dpkg, a JDK (javac/java 11+), cargo. Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
echo "working in $work"
cd "$work"
if ! ls libmorfologik-stemming2-java_*.deb >/dev/null 2>&1; then
    apt-get download libmorfologik-stemming2-java
fi
dpkg -x libmorfologik-stemming2-java_*.deb x
jars=x/usr/share/java
mkdir -p dict classes
(cd dict && unzip -o -q "../$jars/morfologik-polish.jar" 'morfologik/stemming/polish/*')
cp="$jars/morfologik-fsa.jar:$jars/morfologik-stemming.jar"
javac -d classes -cp "$cp" "$here/DumpDict.java"
java -cp "$cp:classes" DumpDict dict/morfologik/stemming/polish/polish.dict > polish.tsv
wc -l polish.tsv
cargo run --release --manifest-path "$here/Cargo.toml" -- polish.tsv "$repo/crates/analysis/data/polimorf.jwd"
ls -l "$repo/crates/analysis/data/polimorf.jwd"
