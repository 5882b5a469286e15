// Crafted syslog messages for the Linux templates (detect/templates/linux.ts).
import { times, type TemplateCase } from './case.ts';

const syslog = (ago: number, computer: string, process: string, message: string) => ({
  ago, Computer: computer, HostName: computer, Facility: 'authpriv', SeverityLevel: 'info', ProcessName: process, SyslogMessage: message,
});

export const LINUX_CASES: TemplateCase[] = [
  {
    template: '52b34faf-7b6f-48f8-bea6-2f6f1b6f8dd0',
    malicious: { Syslog: times(25, (i) => syslog(50 - i, 'web01', 'sshd', i % 2 === 0
      ? `Failed password for invalid user admin${i} from 203.0.113.30 port ${50000 + i} ssh2`
      : `Failed password for root from 203.0.113.30 port ${50000 + i} ssh2`)) },
    entity: '203.0.113.30',
    benign: { Syslog: [
      ...times(5, (i) => syslog(50 - i, 'web01', 'sshd', `Failed password for deploy from 198.51.100.7 port ${40000 + i} ssh2`)),
      ...times(30, (i) => syslog(40 - i, 'web01', 'sshd', `Accepted publickey for deploy from 10.0.0.8 port ${41000 + i} ssh2: ED25519 SHA256:abc`)),
    ] },
  },
  {
    template: 'e01edf6b-0d79-4176-bfeb-ec7667c7df91',
    malicious: { Syslog: [syslog(20, 'db02', 'sudo', '   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash')] },
    entity: 'alice',
    benign: { Syslog: [
      syslog(20, 'db02', 'sudo', '     bob : TTY=pts/1 ; PWD=/srv ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx'),
      syslog(15, 'db02', 'sudo', '   carol : TTY=pts/2 ; PWD=/home/carol ; USER=postgres ; COMMAND=/bin/bash'),
      syslog(10, 'db02', 'sudo', '    dave : TTY=pts/3 ; PWD=/home/dave ; USER=root ; COMMAND=/usr/bin/ssh backup@10.0.0.9'),
    ] },
  },
  {
    template: 'b8ae6024-0a88-4e27-8106-b854e260c4d2',
    malicious: { Syslog: [
      syslog(20, 'app03', 'usermod', "add 'eve' to group 'sudo'"),
      syslog(20, 'app03', 'usermod', "add 'eve' to shadow group 'sudo'"),
      syslog(10, 'app04', 'gpasswd', 'user frank added by root to group wheel'),
    ] },
    entity: 'eve',
    benign: { Syslog: [
      syslog(20, 'app03', 'usermod', "add 'bob' to group 'video'"),
      syslog(10, 'app04', 'gpasswd', 'user carol added by root to group users'),
      syslog(5, 'app04', 'useradd', 'new user: name=sudo-helper, UID=1005, GID=1005, home=/home/sudo-helper, shell=/bin/bash'),
    ] },
  },
];
