#!/usr/bin/env node
// validate.js: checks SARIF files against the OASIS SARIF 2.1.0 schema
// (draft-04, with formats) and checks that each result's ruleId and
// ruleIndex name a rule of the run's driver. Prints one TAP-style line
// per file ("ok - FILE" / "not ok - FILE" with the errors as "# " lines)
// and exits 1 when any file fails.
'use strict';
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');

const schema = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'sarif-schema-2.1.0.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function ruleProblems(log) {
  const problems = [];
  (log.runs || []).forEach((run, r) => {
    const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
    const ids = rules.map((rule) => rule.id);
    if (new Set(ids).size !== ids.length) problems.push(`runs[${r}]: rule ids repeat`);
    (run.results || []).forEach((result, i) => {
      const at = `runs[${r}].results[${i}]`;
      const index = ids.indexOf(result.ruleId);
      if (index < 0) problems.push(`${at}: ruleId '${result.ruleId}' is no rule of the driver`);
      else if (result.ruleIndex !== undefined && result.ruleIndex !== index)
        problems.push(`${at}: ruleIndex ${result.ruleIndex} but '${result.ruleId}' is rule ${index}`);
    });
  });
  return problems;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: validate.js FILE.sarif...');
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  let problems = [];
  try {
    const log = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!validate(log))
      problems = validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`);
    problems = problems.concat(ruleProblems(log));
  } catch (e) {
    problems = [`cannot read '${file}': ${e.message}`];
  }
  if (problems.length === 0) {
    console.log(`ok - ${file} is valid SARIF 2.1.0`);
  } else {
    failed++;
    console.log(`not ok - ${file} is valid SARIF 2.1.0`);
    for (const p of problems.slice(0, 40)) console.log(`# ${p}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
