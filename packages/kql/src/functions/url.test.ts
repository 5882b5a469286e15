import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overT, values } from '../../test/functions-harness.ts';

const empty = { Scheme: '', Host: '', Port: '', Path: '', Username: '', Password: '', 'Query Parameters': {}, Fragment: '' };

test('parse_url takes an absolute URL apart', async () => {
  assert.deepEqual(await values('parse_url("scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment")', 'parse_url("https://[::1]:8080")', 'parse_url("bing.com")', 'parse_url("")'), [
    { Scheme: 'scheme', Host: 'host', Port: '1234', Path: '/this/is/a/path', Username: 'username', Password: 'password', 'Query Parameters': { k1: 'v1', k2: 'v2' }, Fragment: 'fragment' },
    { ...empty, Scheme: 'https', Host: '::1', Port: '8080' },
    empty, empty,
  ]);
  assert.deepEqual(await overT('parse_url(s).Host'), ['', '']);
});

test('parse_urlquery: a key given twice keeps its first value', async () => {
  assert.deepEqual(await values('parse_urlquery("?k1=v1&k2&k1=v3")', 'parse_urlquery("")'), [{ 'Query Parameters': { k1: 'v1', k2: '' } }, { 'Query Parameters': {} }]);
});

test('parse_path for Windows, UNC, Unix and file:// paths', async () => {
  const path = (Scheme: string, RootPath: string, DirectoryPath: string, DirectoryName: string, Filename: string, Extension: string, AlternateDataStreamName = '') =>
    ({ Scheme, RootPath, DirectoryPath, DirectoryName, Filename, Extension, AlternateDataStreamName });
  assert.deepEqual(await values('parse_path(@"C:\\temp\\file.txt")', 'parse_path("file://C:/temp/file.txt:some.exe")', 'parse_path(@"\\\\shared\\users\\file.txt.gz")', 'parse_path("/usr/lib/file")', 'parse_path("")'), [
    path('', 'C:', 'C:\\temp', 'temp', 'file.txt', 'txt'),
    path('file', 'C:', 'C:/temp', 'temp', 'file.txt', 'txt', 'some.exe'),
    path('', '', '\\\\shared\\users', 'users', 'file.txt.gz', 'gz'),
    path('', '', '/usr/lib', 'lib', 'file', ''),
    path('', '', '', '', '', ''),
  ]);
});
