"""A foreign XEP-0184 client for xp2p's receipt test: slixmpp (not our code) logs in to
the test broker, sends a burst of messages with receipt requests to an xp2p device, and
reports what came back, as slixmpp itself reads it.

Arguments: host port jid password device-full-jid count
Prints one line: RESULT sent=N receipt_messages=M max_per_message=K understood=U
where U counts our messages that slixmpp's own receipt plugin saw acknowledged (it reads
one <received/> per message, as the XEP specifies).
"""
import asyncio
import sys

import slixmpp

RECEIVED = '{urn:xmpp:receipts}received'
BOUND_SECONDS = 30


class Sender(slixmpp.ClientXMPP):
    def __init__(self, jid, password, to, count):
        super().__init__(jid, password)
        self.to = to
        self.count = count
        self.sent = []
        self.understood = set()
        self.receipt_messages = 0
        self.max_per_message = 0
        self.done = asyncio.Event()
        self.register_plugin('xep_0184', {'auto_ack': True, 'auto_request': False})
        self.add_event_handler('session_start', self.start)
        self.add_event_handler('receipt_received', self.receipt)

    async def start(self, _event):
        self.send_presence()
        for i in range(self.count):
            msg = self.make_message(mto=self.to, mbody='foreign:%d' % i, mtype='chat')
            msg['id'] = 'f%d' % i
            msg['request_receipt'] = True
            msg.send()
            self.sent.append(msg['id'])

    def receipt(self, msg):
        self.receipt_messages += 1
        self.max_per_message = max(self.max_per_message, len(msg.xml.findall(RECEIVED)))
        if msg['receipt'] in self.sent:
            self.understood.add(msg['receipt'])
        if len(self.understood) == self.count:
            self.done.set()


async def main():
    host, port, jid, password, to, count = sys.argv[1:7]
    client = Sender(jid, password, to, int(count))
    client.connect((host, int(port)), force_starttls=False, disable_starttls=True)
    try:
        await asyncio.wait_for(client.done.wait(), BOUND_SECONDS)
    except asyncio.TimeoutError:
        pass
    print('RESULT sent=%d receipt_messages=%d max_per_message=%d understood=%d'
          % (len(client.sent), client.receipt_messages, client.max_per_message, len(client.understood)), flush=True)
    client.disconnect()


asyncio.get_event_loop().run_until_complete(main())
