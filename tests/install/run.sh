#!/bin/sh
# `make install` into a scratch prefix, then build and run a program against
# the installed header and library through pkg-config (shared and static).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
. tests/lib.sh
check_log=$tmp/log
check "make install" make -s install PREFIX="$tmp/p" BUILD="${BUILD:-build}"
for f in bin/mlvpc include/mlvpc/mlvpc.h lib/libmlvpc.a lib/libmlvpc.so lib/libmlvpc.so.0 \
         lib/pkgconfig/mlvpc.pc share/man/man1/mlvpc.1; do
    check "installed $f" test -e "$tmp/p/$f"
done
cat >"$tmp/consumer.c" <<'C'
#include <mlvpc/mlvpc.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    mlvpc_model *m = mlvpc_model_new();
    mlvpc_diag e;
    if (argc < 2 || mlvpc_model_load(m, argv[1], NULL, &e) != MLVPC_OK || mlvpc_model_finish(m, &e) != MLVPC_OK)
        return 2;
    printf("%zu\n", mlvpc_model_resource_count(m));
    mlvpc_model_free(m);
    return 0;
}
C
export PKG_CONFIG_PATH="$tmp/p/lib/pkgconfig"
flags=$(pkg-config --cflags --libs mlvpc 2>/dev/null || echo "-I$tmp/p/include -L$tmp/p/lib -lmlvpc")
# shellcheck disable=SC2086
check "build against the shared library" cc "$tmp/consumer.c" $flags -Wl,-rpath,"$tmp/p/lib" -o "$tmp/shared"
check "run against the shared library" sh -c "[ \"\$('$tmp/shared' tests/data/aws-cli/batfish-hybrid-cloud)\" = 54 ]"
# Static linking needs the library's own dependencies: pkg-config --static
# gives them (Libs.private), minus the library itself, linked from the .a.
private=$(pkg-config --static --libs-only-l mlvpc | sed 's/-lmlvpc//')
# shellcheck disable=SC2086
check "build against the static library" cc "$tmp/consumer.c" -I"$tmp/p/include" "$tmp/p/lib/libmlvpc.a" $private -o "$tmp/static"
check "run against the static library" sh -c "[ \"\$('$tmp/static' tests/data/aws-cli/batfish-hybrid-cloud)\" = 54 ]"
check "shared library exports only the public API" sh -c \
    "! nm -D --defined-only '$tmp/p/lib/libmlvpc.so' | awk '{print \$3}' | grep -v '^mlvpc_'"
check "man page renders" sh -c "! command -v man >/dev/null || man -l '$tmp/p/share/man/man1/mlvpc.1' >/dev/null"
check "installed binary runs" "$tmp/p/bin/mlvpc" --version
finish install
