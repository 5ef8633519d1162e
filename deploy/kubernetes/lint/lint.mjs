// Checks every YAML document of the files given against the Kubernetes and KEDA schemas that kubernetes-models
// ships (the API's OpenAPI schemas, validated with ajv), and fails on a kind it has no schema for.
// Usage: node lint.mjs FILE...   (from deploy/kubernetes/lint after `npm ci`; tests/Byot.Tests/Deploy runs it)
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1";
import { Secret } from "kubernetes-models/v1";
import { ScaledObject, TriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1";

const models = {
  "apps/v1/Deployment": Deployment,
  "v1/Secret": Secret,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "keda.sh/v1alpha1/TriggerAuthentication": TriggerAuthentication,
};

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length > 0) {
      console.error(`${file}: YAML: ${doc.errors.map(e => e.message).join("; ")}`);
      failures++;
      continue;
    }
    const value = doc.toJS();
    if (value === null) continue;
    const key = `${value.apiVersion}/${value.kind}`;
    const Model = models[key];
    if (!Model) {
      console.error(`${file}: ${key}: no schema for this kind`);
      failures++;
      continue;
    }
    try {
      new Model(value).validate();
      checked++;
    } catch (e) {
      console.error(`${file}: ${key} ${value.metadata?.name}: ${e.message}`);
      failures++;
    }
  }
}
console.log(`kubernetes-lint: ${checked} documents valid, ${failures} invalid`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
