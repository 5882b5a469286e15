import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { armGuid, uuidV5 } from './guid.ts';
import { murmurHash64, uniqueString } from './unique-string.ts';

describe('uuidV5', () => {
  it('matches the RFC 4122 name-based example published in the Python uuid documentation', () => {
    // uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org') == 886313e1-3b8a-5372-9b90-0c9aee199e5d
    assert.equal(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org'), '886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });
});

describe('guid()', () => {
  // Expected values computed independently with Python:
  //   uuid.uuid5(uuid.UUID('11fb06fb-712d-4ddd-98c7-e71bbd588830'), '-'.join(args))
  it('is a version-5 UUID over the ARM namespace', () => {
    assert.equal(armGuid(['Relecloud Managed Services']), 'a284898a-fc04-581d-aca0-047861d06160');
  });

  it("joins several arguments with '-'", () => {
    assert.equal(armGuid(['a', 'b']), '2d796349-8c7e-55ec-9624-54ece82ed031');
    assert.equal(armGuid(['a', 'b']), armGuid(['a-b']));
    assert.notEqual(armGuid(['a', 'b']), armGuid(['b', 'a']));
  });

  it('hashes the UTF-8 encoding of the name', () => {
    assert.equal(armGuid(['/subscriptions/11111111-2222-3333-4444-555555555555', 'Ünïcode']), 'd6e755ef-bb46-5522-aafd-ac553eab7db5');
  });

  it('sets the version and variant bits', () => {
    const value = armGuid(['anything']);
    assert.match(value, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('uniqueString()', () => {
  it('matches the value in the Azure terraform-provider-azapi unique_string test', () => {
    // Azure/terraform-provider-azapi internal/services/functions/unique_string_function_test.go
    assert.equal(uniqueString(['/subscriptions/00000000-0000-0000-0000-000000000000', 'resource-id']), 'cwvxuqg24sifi');
  });

  it('matches further published reference values (every tail length of the hash is exercised)', () => {
    assert.equal(uniqueString(['test']), 'rbgf3xv4ufgzg');
    assert.equal(uniqueString(['abc']), 'cgtzqvhu4i23s');
    assert.equal(uniqueString(['hello', 'world']), 'a7wkljktk6wne');
    assert.equal(uniqueString(['foo', 'bar', 'baz']), 'xzi4ioaxtmth4');
    assert.equal(uniqueString(['/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg']), 'bmg7c6xu4tw46');
  });

  it('is 13 lower-case base32 characters', () => {
    for (let length = 0; length < 20; length += 1) assert.match(uniqueString(['x'.repeat(length)]), /^[a-z2-7]{13}$/);
  });

  it('hashes the empty input to a fixed value', () => {
    assert.equal(murmurHash64(new Uint8Array(0)), 0n);
  });
});
