import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fails, overT, values } from '../../test/functions-harness.ts';

test('parse_xml follows Kusto\'s documented conversion table', async () => {
  assert.deepEqual(await values(`parse_xml('<e/>')`, `parse_xml('<e>text</e>')`, `parse_xml('<e name="value" />')`, `parse_xml('<e name="value">text</e>')`, `parse_xml('<e> <a>text</a> <b>text</b> </e>')`, `parse_xml('<e> <a>text</a> <a>text</a> </e>')`, `parse_xml('<?xml version="1.0"?><e></e>')`),
    [{ e: null }, { e: 'text' }, { e: { '@name': 'value' } }, { e: { '@name': 'value', '#text': 'text' } }, { e: { a: 'text', b: 'text' } }, { e: { a: ['text', 'text'] } }, { e: '' }]);
});

test('Windows event data, as the Sentinel parsers read it', async () => {
  const xml = `<DataItem type="System.XmlData" time="2021-07-08"><EventData xmlns="http://schemas"><Data Name="SubjectUserSid">S-1-5-18</Data><Data Name="Note">1 &amp; 2</Data><Data Name="Empty"/></EventData></DataItem>`;
  assert.deepEqual(await values(`parse_xml('${xml}').DataItem.EventData.Data[1]["#text"]`, `parse_xml('<EventData><Data Name="a">1</Data></EventData>').EventData.Data`),
    ['1 & 2', { '@Name': 'a', '#text': '1' }]);
  assert.deepEqual(await values(`parse_xml('${xml}')`), [{ DataItem: { '@type': 'System.XmlData', '@time': '2021-07-08', EventData: { '@xmlns': 'http://schemas', Data: [{ '@Name': 'SubjectUserSid', '#text': 'S-1-5-18' }, { '@Name': 'Note', '#text': '1 & 2' }, { '@Name': 'Empty' }] } } }]);
});

test('text that is not XML is null; XML beyond the simple shapes stops the query', async () => {
  assert.deepEqual(await values(`parse_xml('not xml')`, `parse_xml('<a>')`, `parse_xml('')`), [null, null, null]);
  assert.deepEqual(await overT('parse_xml(s)'), [null, null]);
  await fails(`print parse_xml('<e> text <a>x</a></e>')`);
  await fails(`print parse_xml('<e><a><b>1</b></a><a><b>2</b></a></e>')`);
  await fails(`print parse_xml('<e>&#65;</e>')`);
});
