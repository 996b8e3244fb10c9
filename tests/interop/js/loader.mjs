// Offline document loader for the reference verifier: serves the contexts bundled with
// credstack (src/credstack/badges/contexts/index.json) and resolves did:key by
// computation; refuses everything else. The network is never used.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';

globalThis.fetch = async url => {
  throw new Error(`network access blocked (${url})`);
};

const here = dirname(fileURLToPath(import.meta.url));
const contextsDir = join(here, '..', '..', '..', 'src', 'credstack', 'badges', 'contexts');
const index = JSON.parse(readFileSync(join(contextsDir, 'index.json'), 'utf8'));
const documents = new Map(Object.entries(index).map(
  ([url, file]) => [url, JSON.parse(readFileSync(join(contextsDir, file), 'utf8'))]));

const didKey = didKeyDriver();
didKey.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

export async function documentLoader(url) {
  if(documents.has(url)) {
    return {contextUrl: null, documentUrl: url, document: structuredClone(documents.get(url))};
  }
  if(url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await didKey.get({url})};
  }
  throw new Error(`offline document loader: refusing ${url}`);
}
