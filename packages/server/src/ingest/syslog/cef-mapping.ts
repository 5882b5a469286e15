// CEF extension keys -> CommonSecurityLog columns, after Microsoft's "CEF and CommonSecurityLog
// field mapping" (articles/sentinel/cef-name-mapping.md in MicrosoftDocs/azure-docs,
// learn.microsoft.com/azure/sentinel/cef-name-mapping), with the column names spelled as the
// table reference spells them (DestinationMACAddress where the mapping page writes
// DestinationMacAddress). Since the 28 February 2023 schema change (Microsoft Sentinel blog,
// "Upcoming changes to the CommonSecurityLog table") externalId goes to ExtID (string) rather
// than ExternalID (int), and cn1-cn3 to FieldDeviceCustomNumber1-3 (long) rather than
// DeviceCustomNumber1-3 (int); the labels keep their DeviceCustomNumberNLabel columns.
// Each key is listed with its ArcSight full name (destinationAddress for dst, and so on), which
// the CEF specification allows in place of the short one. start/end, absent from the mapping
// page, fill the StartTime/EndTime columns the table has for them.

export type CefColumnType = 'string' | 'int' | 'long' | 'real' | 'datetime';

export interface CefColumn {
  column: string;
  type: CefColumnType;
}

type Entry = [keys: string[], column: string, type?: CefColumnType];

const ENTRIES: Entry[] = [
  [['act', 'deviceAction'], 'DeviceAction'],
  [['app', 'applicationProtocol'], 'ApplicationProtocol'],
  [['cat', 'deviceEventCategory'], 'DeviceEventCategory'],
  [['cnt', 'baseEventCount'], 'EventCount', 'int'],
  [['destinationDnsDomain'], 'DestinationDnsDomain'],
  [['destinationServiceName'], 'DestinationServiceName'],
  [['destinationTranslatedAddress'], 'DestinationTranslatedAddress'],
  [['destinationTranslatedPort'], 'DestinationTranslatedPort', 'int'],
  [['deviceDirection'], 'CommunicationDirection'],
  [['deviceDnsDomain'], 'DeviceDnsDomain'],
  [['deviceExternalId'], 'DeviceExternalID'],
  [['deviceFacility'], 'DeviceFacility'],
  [['deviceInboundInterface'], 'DeviceInboundInterface'],
  [['deviceNtDomain'], 'DeviceNtDomain'],
  [['deviceOutboundInterface'], 'DeviceOutboundInterface'],
  [['devicePayloadId'], 'DevicePayloadId'],
  [['deviceProcessName'], 'ProcessName'],
  [['deviceTranslatedAddress'], 'DeviceTranslatedAddress'],
  [['dhost', 'destinationHostName'], 'DestinationHostName'],
  [['dmac', 'destinationMacAddress'], 'DestinationMACAddress'],
  [['dntdom', 'destinationNtDomain'], 'DestinationNTDomain'],
  [['dpid', 'destinationProcessId'], 'DestinationProcessId', 'int'],
  [['dpriv', 'destinationUserPrivileges'], 'DestinationUserPrivileges'],
  [['dproc', 'destinationProcessName'], 'DestinationProcessName'],
  [['dpt', 'destinationPort'], 'DestinationPort', 'int'],
  [['dst', 'destinationAddress'], 'DestinationIP'],
  [['dtz', 'deviceTimeZone'], 'DeviceTimeZone'],
  [['duid', 'destinationUserId'], 'DestinationUserID'],
  [['duser', 'destinationUserName'], 'DestinationUserName'],
  [['dvc', 'deviceAddress'], 'DeviceAddress'],
  [['dvchost', 'deviceHostName'], 'DeviceName'],
  [['dvcmac', 'deviceMacAddress'], 'DeviceMacAddress'],
  [['dvcpid', 'deviceProcessId'], 'ProcessID', 'int'],
  [['end', 'endTime'], 'EndTime', 'datetime'],
  [['externalId'], 'ExtID'],
  [['fileCreateTime'], 'FileCreateTime'],
  [['fileHash'], 'FileHash'],
  [['fileId'], 'FileID'],
  [['fileModificationTime'], 'FileModificationTime'],
  [['filePath'], 'FilePath'],
  [['filePermission'], 'FilePermission'],
  [['fileType'], 'FileType'],
  [['fname', 'fileName'], 'FileName'],
  [['fsize', 'fileSize'], 'FileSize', 'int'],
  [['in', 'bytesIn'], 'ReceivedBytes', 'long'],
  [['msg', 'message'], 'Message'],
  [['oldFileCreateTime'], 'OldFileCreateTime'],
  [['oldFileHash'], 'OldFileHash'],
  [['oldFileId'], 'OldFileID'],
  [['oldFileModificationTime'], 'OldFileModificationTime'],
  [['oldFileName'], 'OldFileName'],
  [['oldFilePath'], 'OldFilePath'],
  [['oldFilePermission'], 'OldFilePermission'],
  [['oldFileSize'], 'OldFileSize', 'int'],
  [['oldFileType'], 'OldFileType'],
  [['out', 'bytesOut'], 'SentBytes', 'long'],
  [['outcome', 'eventOutcome'], 'EventOutcome'],
  [['proto', 'transportProtocol'], 'Protocol'],
  [['reason'], 'Reason'],
  [['request', 'requestUrl'], 'RequestURL'],
  [['requestClientApplication'], 'RequestClientApplication'],
  [['requestContext'], 'RequestContext'],
  [['requestCookies'], 'RequestCookies'],
  [['requestMethod'], 'RequestMethod'],
  [['rt', 'receiptTime'], 'ReceiptTime'],
  [['shost', 'sourceHostName'], 'SourceHostName'],
  [['smac', 'sourceMacAddress'], 'SourceMACAddress'],
  [['sntdom', 'sourceNtDomain'], 'SourceNTDomain'],
  [['sourceDnsDomain'], 'SourceDnsDomain'],
  [['sourceServiceName'], 'SourceServiceName'],
  [['sourceTranslatedAddress'], 'SourceTranslatedAddress'],
  [['sourceTranslatedPort'], 'SourceTranslatedPort', 'int'],
  [['spid', 'sourceProcessId'], 'SourceProcessId', 'int'],
  [['spriv', 'sourceUserPrivileges'], 'SourceUserPrivileges'],
  [['sproc', 'sourceProcessName'], 'SourceProcessName'],
  [['spt', 'sourcePort'], 'SourcePort', 'int'],
  [['src', 'sourceAddress'], 'SourceIP'],
  [['start', 'startTime'], 'StartTime', 'datetime'],
  [['suid', 'sourceUserId'], 'SourceUserID'],
  [['suser', 'sourceUserName'], 'SourceUserName'],
  [['type'], 'EventType', 'int'],
  // Custom fields.
  ...[1, 2, 3, 4].flatMap((n): Entry[] => [
    [[`c6a${n}`, `deviceCustomIPv6Address${n}`], `DeviceCustomIPv6Address${n}`],
    [[`c6a${n}Label`, `deviceCustomIPv6Address${n}Label`], `DeviceCustomIPv6Address${n}Label`],
    [[`cfp${n}`, `deviceCustomFloatingPoint${n}`], `DeviceCustomFloatingPoint${n}`, 'real'],
    [[`cfp${n}Label`, `deviceCustomFloatingPoint${n}Label`], `DeviceCustomFloatingPoint${n}Label`],
  ]),
  ...[1, 2, 3].flatMap((n): Entry[] => [
    [[`cn${n}`, `deviceCustomNumber${n}`], `FieldDeviceCustomNumber${n}`, 'long'],
    [[`cn${n}Label`, `deviceCustomNumber${n}Label`], `DeviceCustomNumber${n}Label`],
  ]),
  ...[1, 2, 3, 4, 5, 6].flatMap((n): Entry[] => [
    [[`cs${n}`, `deviceCustomString${n}`], `DeviceCustomString${n}`],
    [[`cs${n}Label`, `deviceCustomString${n}Label`], `DeviceCustomString${n}Label`],
  ]),
  ...[1, 2].flatMap((n): Entry[] => [
    [[`deviceCustomDate${n}`], `DeviceCustomDate${n}`],
    [[`deviceCustomDate${n}Label`], `DeviceCustomDate${n}Label`],
    [[`flexString${n}`], `FlexString${n}`],
    [[`flexString${n}Label`], `FlexString${n}Label`],
    [[`flexNumber${n}`], `FlexNumber${n}`, 'int'],
    [[`flexNumber${n}Label`], `FlexNumber${n}Label`],
  ]),
  [['flexDate1'], 'FlexDate1'],
  [['flexDate1Label'], 'FlexDate1Label'],
];

/**
 * Lower-cased CEF key -> column. Keys are matched without regard to case: devices write
 * deviceExternalID as often as deviceExternalId, and no two standard keys differ only in case.
 */
export const CEF_KEY_COLUMNS: ReadonlyMap<string, CefColumn> = new Map(
  ENTRIES.flatMap(([keys, column, type = 'string']) => keys.map((k): [string, CefColumn] => [k.toLowerCase(), { column, type }])),
);

/** Every CEF key the mapping knows, as the specification spells it. */
export const CEF_KEYS: readonly string[] = ENTRIES.flatMap(([keys]) => keys);

export function cefColumnFor(key: string): CefColumn | undefined {
  return CEF_KEY_COLUMNS.get(key.toLowerCase());
}
