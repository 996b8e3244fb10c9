// Verify credentials with Digital Bazaar's vc + eddsa-rdfc-2022 cryptosuite, offline.
// Usage: node verify.mjs FILE   (FILE holds one credential or a JSON array of them)
// Prints {"results": [{"verified": bool, "error": str|null}], "seconds": float}; the
// time covers verification only. Exit 0 when every credential verified, else 1.
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {documentLoader} from './loader.mjs';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const credentials = Array.isArray(input) ? input : [input];
const suite = new DataIntegrityProof({cryptosuite});
const results = [];
const start = process.hrtime.bigint();
for(const credential of credentials) {
  try {
    const result = await vc.verifyCredential({credential, suite, documentLoader});
    const error = result.verified ? null :
      String(result.error?.errors?.[0]?.message ?? result.error?.message ?? result.error);
    results.push({verified: result.verified, error});
  } catch(e) {
    results.push({verified: false, error: String(e.message ?? e)});
  }
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(JSON.stringify({results, seconds}) + '\n');
process.exit(results.every(r => r.verified) ? 0 : 1);
