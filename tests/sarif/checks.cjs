#!/usr/bin/env node
// Checks of SARIF files that the SARIF Multitool misses; validate.sh runs them beside it.
//
// SCHEMA: the SARIF 2.1.0 JSON schema shipped inside the Multitool package (draft 2020-12),
//   with ajv. Needed because sarif-multitool 5.7.0 silently skips a file that has an unknown
//   enum value such as result.level "high" or suppression.kind "waived": no finding, no
//   notification, exit code 0. GitHub code scanning rejects such files.
// CONSISTENCY (only on schema-valid files):
//   C1 a result's ruleIndex must name the rule whose id is its ruleId (SARIF 3.27.6); the
//      Multitool only checks that the index is inside the array.
//   C2 a result's ruleId must be described in tool.driver.rules: GitHub takes the rule's
//      help, tags and security-severity from there (the Multitool only notes it, SARIF2012).
//   C3 properties."security-severity" of a rule, when present, must be a string holding a
//      number from 0.0 to 10.0, the form GitHub code scanning and CodeQL use.
//
// Usage: node checks.cjs FILE...
// Prints one line per violation, "FILE: error SCHEMA|C1|C2|C3: <json-pointer>: <message>".
// Exit status: 0 all files valid, 1 a file is invalid or unreadable, 2 setup problem.
'use strict';

const fs = require('fs');
const path = require('path');

let Ajv2020, addFormats;
try {
  Ajv2020 = require('ajv/dist/2020').default;
  addFormats = require('ajv-formats').default;
} catch (e) {
  process.stderr.write(`schema-check: cannot load ajv (run npm ci in ${__dirname}): ${e.message}\n`);
  process.exit(2);
}

const schemaPath = path.join(__dirname, 'node_modules', '@microsoft', 'sarif-multitool-linux',
  'sarif-2.1.0.json');
let validate;
try {
  const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  validate = ajv.compile(schema);
} catch (e) {
  process.stderr.write(`schema-check: cannot load the SARIF schema ${schemaPath}: ${e.message}\n`);
  process.exit(2);
}

if (process.argv.length < 3) {
  process.stderr.write('usage: node checks.cjs FILE...\n');
  process.exit(2);
}

let failed = false;
for (const file of process.argv.slice(2)) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    process.stdout.write(`${file}: error SCHEMA: ${e.message}\n`);
    failed = true;
    continue;
  }
  if (!validate(doc)) {
    failed = true;
    for (const err of validate.errors) {
      let msg = err.message;
      if (err.keyword === 'enum') msg += `: ${err.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
      if (err.keyword === 'additionalProperties') msg += `: '${err.params.additionalProperty}'`;
      process.stdout.write(`${file}: error SCHEMA: ${err.instancePath || '/'}: ${msg}\n`);
    }
    continue;
  }
  for (const [id, where, msg] of consistency(doc)) {
    process.stdout.write(`${file}: error ${id}: ${where}: ${msg}\n`);
    failed = true;
  }
}

function consistency(log) {
  const out = [];
  log.runs.forEach((run, r) => {
    const rules = (run.tool.driver.rules || []);
    const ids = new Set(rules.map((rule) => rule.id));
    rules.forEach((rule, i) => {
      const sev = rule.properties && rule.properties['security-severity'];
      if (sev === undefined) return;
      const n = Number(sev);
      if (typeof sev !== 'string' || !/^\d+(\.\d+)?$/.test(sev) || n < 0 || n > 10) {
        out.push(['C3', `/runs/${r}/tool/driver/rules/${i}/properties/security-severity`,
          `${JSON.stringify(sev)} is not a string holding a number from 0.0 to 10.0`]);
      }
    });
    (run.results || []).forEach((res, j) => {
      const where = `/runs/${r}/results/${j}`;
      const ruleId = res.ruleId !== undefined ? res.ruleId : res.rule && res.rule.id;
      const index = res.ruleIndex !== undefined ? res.ruleIndex : res.rule && res.rule.index;
      if (index !== undefined && index >= 0 && index < rules.length && ruleId !== undefined &&
          rules[index].id !== ruleId) {
        out.push(['C1', where, `ruleIndex ${index} names rule '${rules[index].id}', not ruleId '${ruleId}'`]);
      }
      if (ruleId !== undefined && !ids.has(ruleId)) {
        out.push(['C2', where, `ruleId '${ruleId}' is not described in tool.driver.rules`]);
      }
    });
  });
  return out;
}
process.exit(failed ? 1 : 0);
