// Issue an OB 3.0 OpenBadgeCredential with a fresh did:key, using the reference stack.
// Usage: node issue.mjs [NARRATIVE]   prints the signed credential as JSON.
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {randomUUID} from 'node:crypto';
import {documentLoader} from './loader.mjs';

const narrative = process.argv[2] ?? 'Assessed against the rubric; competent in every criterion.';
const key = await Ed25519Multikey.generate();
const did = `did:key:${key.publicKeyMultibase}`;
key.controller = did;
key.id = `${did}#${key.publicKeyMultibase}`;

const credential = {
  '@context': [
    'https://www.w3.org/ns/credentials/v2',
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'
  ],
  id: `urn:uuid:${randomUUID()}`,
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: {id: did, type: ['Profile'], name: 'Reference Issuer'},
  validFrom: '2026-01-01T00:00:00Z',
  name: 'Interoperability Badge',
  credentialSubject: {
    type: ['AchievementSubject'],
    identifier: [{
      type: 'IdentityObject', hashed: true, identityType: 'emailAddress', salt: 'pepper',
      identityHash: 'sha256$1a4dd2fdd4ac2d0ca0f08fe1f38d5b5e01a5d0ba2a8aa4b2eb7a5a8a29c85b8c'
    }],
    achievement: {
      id: 'https://example.org/achievements/interop',
      type: ['Achievement'],
      achievementType: 'MicroCredential',
      name: 'Interoperability',
      description: 'Issued by the JavaScript reference implementation.',
      criteria: {narrative},
      creditsAvailable: 2.5
    }
  }
};
const signed = await vc.issue({
  credential, documentLoader, suite: new DataIntegrityProof({signer: key.signer(), cryptosuite})
});
process.stdout.write(JSON.stringify(signed, null, 2) + '\n');
