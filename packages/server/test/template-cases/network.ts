// Crafted CEF and DNS events for the network templates (detect/templates/network.ts).
import { times, type TemplateCase } from './case.ts';

const cef = (ago: number, source: string, destination: string, port: number, action: string) => ({
  ago, DeviceVendor: 'Palo Alto Networks', DeviceProduct: 'PAN-OS', DeviceEventClassID: 'TRAFFIC', Activity: 'TRAFFIC',
  SourceIP: source, DestinationIP: destination, DestinationPort: port, Protocol: 'TCP', DeviceAction: action, Computer: 'fw01',
});

const lookup = (ago: number, client: string, name: string) => ({
  ago, Computer: 'dns01.contoso.local', ClientIP: client, Name: name, QueryType: 'A', SubType: 'LookupQuery', EventId: 256, Result: 'Success',
});

export const NETWORK_CASES: TemplateCase[] = [
  {
    template: '0b152b05-8da0-459e-8bc5-168afafb55ed',
    malicious: { CommonSecurityLog: [
      ...times(150, (i) => cef(55 - i / 3, '203.0.113.40', `10.0.0.${i % 50}`, 445, 'deny')),
      // Before the hour: a trickle from the same source.
      ...times(10, (i) => cef(120 + i * 60, '203.0.113.40', '10.0.0.1', 443, 'deny')),
    ] },
    entity: '203.0.113.40',
    benign: { CommonSecurityLog: [
      // A host that is always this noisy: 120 denies every hour of the day.
      ...times(24 * 120, (i) => cef(i / 2 + 0.25, '10.0.5.5', '10.0.9.9', 53, 'drop')),
      ...times(200, (i) => cef(50 - i / 5, '10.0.0.9', '10.0.9.10', 443, 'allow')),
    ] },
  },
  {
    template: '051d47ea-ec19-4f43-bb86-86f0f383d23f',
    malicious: { CommonSecurityLog: times(60, (i) => cef(12 - i / 6, '203.0.113.50', '10.0.0.20', 1 + i * 37, i % 3 === 0 ? 'allow' : 'deny')) },
    entity: '203.0.113.50',
    benign: { CommonSecurityLog: times(160, (i) => cef(14 - i / 12, `10.0.0.${7 + (i % 2)}`, '10.0.9.20', [80, 443, 22, 3389, 445, 53, 8080, 25][i % 8]!, 'allow')) },
  },
  {
    template: '3a249078-edab-4854-b8e7-4f7c2a1990f5',
    malicious: { DnsEvents: [lookup(30, '10.0.0.21', 'invoice-download.zip'), lookup(20, '10.0.0.22', 'cdn.free-prizes.XYZ.')] },
    entity: 'invoice-download.zip',
    benign: { DnsEvents: [
      lookup(30, '10.0.0.21', 'www.contoso.com'), lookup(25, '10.0.0.21', 'zip.example.com'), lookup(20, '10.0.0.22', 'top-sites.example.net'),
      { ...lookup(10, '10.0.0.23', 'phish.top'), SubType: 'LookupAnswer' },
    ] },
  },
];
