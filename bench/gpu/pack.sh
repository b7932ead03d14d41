#!/usr/bin/env bash
# Prepares what the GPU check (bench/gpu/verify.sh) needs on a machine with no Java and no network, in .gpu/
# (ignored by git; the device tool carries it): a jlink'ed Java 17 runtime, the CLI's jars without DL4J/ND4J
# (a torch-backend run never loads them), and Fashion-MNIST compressed with xz. Everything must fit 64 MiB
# together with the working tree.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/.gpu"
jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
data="${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
mkdir -p "$out/lib" "$out/data"

# package, never install: the jars are taken from the reactor's target/ folders, and ~/.m2 stays as it is; clean
# first, so that no class or resource an older build left in a target/ folder goes into the jars
(cd "$root" && mvn -B -q -DskipTests clean package)

# jars: ours and the libraries the engine needs without DL4J (checked by running a torch campaign on exactly this set)
rm -f "$out/lib/"*.jar
cp "$root/cli/target/anynas-cli.jar" "$out/lib/"
# only the jars the CLI's manifest names: a lib/ that an older build left can hold jars of modules that are gone
manifest="$(mktemp -d)"
(cd "$manifest" && "$jdk/bin/jar" xf "$root/cli/target/anynas-cli.jar" META-INF/MANIFEST.MF)
for name in $(tr -d '\r' < "$manifest/META-INF/MANIFEST.MF" | sed ':a;N;$!ba;s/\n //g' | sed -n 's/^Class-Path: //p' \
    | tr ' ' '\n' | sed 's|^lib/||'); do
  j="$root/cli/target/lib/$name"
  case "$name" in
    anynas-*|jackson-core-*|jackson-databind-*|jackson-annotations-*|jackson-dataformat-yaml-*|snakeyaml-*|jenetics*|h2-*|flyway-core-*|picocli-*|slf4j-api-*|logback-*|progressbar-*|jline-terminal-*|jline-native-*)
      cp "$j" "$out/lib/" ;;
  esac
done
rm -rf "$manifest"

# runtime: the modules the engine uses (jdk.random: Jenetics' random generators), debug info stripped
if [ ! -f "$out/jre.tar.xz" ] || [ "$jdk/release" -nt "$out/jre.tar.xz" ]; then
  tmp="$(mktemp -d)"
  "$jdk/bin/jlink" --add-modules java.base,java.sql,java.naming,java.management,java.logging,java.xml,jdk.unsupported,jdk.random \
    --strip-debug --compress=2 --no-header-files --no-man-pages --output "$tmp/jre"
  strip --strip-unneeded "$tmp/jre/lib/server/libjvm.so"
  tar -C "$tmp" -cf - jre | xz -9 -T2 > "$out/jre.tar.xz"
  rm -rf "$tmp"
fi

# data: xz is ~4 MB smaller than the gzip Debian ships
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -f "$out/data/$f.xz" ] || gzip -dc "$data/$f.gz" | xz -9 -T2 > "$out/data/$f.xz"
done

du -sh "$out"/* | sed "s|$root/||"
echo "working tree that travels: $(cd "$root" && git ls-files -co --exclude-standard -z | du -ch --files0-from=- | tail -1 | cut -f1) plus .gpu $(du -sh "$out" | cut -f1)"
