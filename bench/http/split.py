"""Sums a dotnet-trace speedscope file (dotnet-sampled-thread-time) by component.

Only samples of threads that were running count: managed code (leaf CPU_TIME), or native code (leaf
UNMANAGED_CODE_TIME) whose caller is not a wait. Each is charged to the innermost frame on its stack that names a
component below, so a middleware that wraps the whole request is not charged for what runs inside it; a stack with
none of them but with frames the trace could not resolve is charged to unnamed native code.
"""
import collections
import json
import sys

WAITS = ('WaitNative', 'Monitor.Wait', 'Thread.Sleep', 'WaitOneNoCheck', 'SocketAsyncEngine.EventLoop',
         'WaitForSignal', 'ThreadPoolWorkQueue.Dispatch()', 'WaitHandle.Wait', 'SpinWait.SpinOnce', 'FileSystemWatcher',
         'Heartbeat.TimerLoop', 'ManualResetEventSlim.Wait', 'Interop+Sys.Read', 'Task.InternalWait', 'PollForValues',
         'Thread.StartCallback()')
COMPONENTS = [
    ('SQLite writer thread (journal rows, report facts, checkpoints, commit)', ('SqliteStore.WriteLoop', 'Microsoft.Data.Sqlite')),
    ('WaitingLine.Ahead', ('WaitingLine.Ahead',)),
    ('report projection', ('ReportGrain',)),
    ('live push (publisher, SignalR)', ('HallEventPublisher', 'SignalR')),
    ('journal sequencing, hashing, encoding', ('HallJournal', 'JournalHash', 'EventCodec')),
    ('grain code', ('HallMonitor.Grains!',)),
    ('Orleans runtime and messages', ('Orleans',)),
    ('metrics', ('Prometheus', 'System.Diagnostics.Metrics')),
    ('thread-pool workers spinning', ('LowLevelSpinWaiter',)),
    ('JSON', ('System.Text.Json',)),
    ('Kestrel and the ASP.NET Core pipeline', ('Microsoft.AspNetCore', 'HallMonitor.Web!')),
    ('GC (threads stopped for a collection)', ('PollGC', 'GarbageCollect')),
    ('thread-pool dispatch', ('PortableThreadPool', 'ThreadPoolWorkQueue')),
]
UNNAMED = 'native code the trace could not name (GC threads, the kernel)'


def main(path):
    document = json.load(open(path))
    frames = [f['name'] for f in document['shared']['frames']]
    shares = collections.Counter()

    def charge(stack, duration):
        names = [frames[f] for f in stack]
        if names[-1] == 'UNMANAGED_CODE_TIME':
            if len(names) < 4 or any(w in names[-2] for w in WAITS):
                return
        elif names[-1] != 'CPU_TIME':
            return
        for name in reversed(names[:-1]):
            for component, keys in COMPONENTS:
                if any(k in name for k in keys):
                    shares[component] += duration
                    return
        shares[UNNAMED if '?!?' in names else 'other: ' + names[-2][:90]] += duration

    for profile in document['profiles']:
        stack, last = [], None
        for event in profile['events']:
            if stack and last is not None:
                charge(stack, event['at'] - last)
            last = event['at']
            if event['type'] == 'O':
                stack.append(event['frame'])
            else:
                stack.pop()

    total = sum(shares.values())
    for component, duration in shares.most_common(16):
        print(f'{100 * duration / total:6.1f} %  {component}')


if __name__ == '__main__':
    main(sys.argv[1])
