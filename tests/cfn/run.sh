#!/bin/sh
# CloudFormation: the JSON and YAML forms of each template give the same
# model and the same findings (locations aside), and short-form YAML tags
# (!Ref, !GetAtt, !Sub, ...) read like their long forms.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/lib.sh"
suite_init "$1"
strip='del(.inputs) | .findings |= map(del(.location))'
for t in secure insecure; do
    for f in json yaml; do
        "$bin" audit -q --region us-east-1 --format json "tests/data/cfn/$t.template.$f" >"$tmp/$t.$f.json"
        jq -S "$strip" "$tmp/$t.$f.json" >"$tmp/$t.$f.cmp"
        "$bin" show -q --region us-east-1 --format json "tests/data/cfn/$t.template.$f" |
            jq -S 'walk(if type == "object" then del(.file, .line, .column) else . end)' >"$tmp/$t.$f.show"
    done
    check "$t: JSON and YAML give the same findings" cmp -s "$tmp/$t.json.cmp" "$tmp/$t.yaml.cmp"
    check "$t: JSON and YAML give the same model" cmp -s "$tmp/$t.json.show" "$tmp/$t.yaml.show"
done
# Short-form tags: a YAML template written with them equals its long form.
"$bin" show -q --region us-east-1 --format json tests/data/cfn/short-form.yaml |
    jq -S 'walk(if type == "object" then del(.file, .line, .column) else . end)' >"$tmp/short.show"
"$bin" show -q --region us-east-1 --format json tests/data/cfn/long-form.json |
    jq -S 'walk(if type == "object" then del(.file, .line, .column) else . end)' >"$tmp/long.show"
check "short-form YAML tags equal the long form" cmp -s "$tmp/short.show" "$tmp/long.show"
check "short-form template has 2 subnets in 2 AZs" \
    test "$(jq '[.vpcs[].subnets[].availability_zone] | unique | length' "$tmp/short.show")" = 2
finish cfn
