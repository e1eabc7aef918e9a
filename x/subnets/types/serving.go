package types

import (
	"net/netip"
	"strconv"
	"strings"
)

// multiaddrValueProtocols are the multiaddr protocols followed by a value that ServingAddrKey understands; others
// without a value (quic-v1, ws, tls, ...) are kept as they are.
var multiaddrValueProtocols = map[string]bool{
	"ip4": true, "ip6": true, "dns": true, "dns4": true, "dns6": true, "dnsaddr": true, "tcp": true, "udp": true,
	"sni": true, "ip6zone": true, "certhash": true,
}

// ServingAddrKey is the form in which multiaddrs are compared when x/subnets refuses one address published by two
// neurons of a subnet: IP addresses and ports in canonical text (/ip6/0:0:0:0:0:0:0:1/tcp/04001 is
// /ip6/::1/tcp/4001), DNS names lower-cased, and everything from a /p2p/ component on dropped (it names the
// peer, not the place). A component it does not know ends the canonical part; the rest is kept verbatim. addr is
// assumed to pass ValidateMultiaddr.
func ServingAddrKey(addr string) string {
	parts := strings.Split(strings.TrimPrefix(addr, "/"), "/")
	var b strings.Builder
	for i := 0; i < len(parts); i++ {
		proto := parts[i]
		if proto == "p2p" || proto == "ipfs" {
			break
		}
		if isFlagProtocol(proto) {
			b.WriteString("/" + proto)
			continue
		}
		if !multiaddrValueProtocols[proto] || i+1 == len(parts) {
			b.WriteString("/" + strings.Join(parts[i:], "/"))
			break
		}
		i++
		v := parts[i]
		switch proto {
		case "ip4", "ip6":
			if ip, err := netip.ParseAddr(v); err == nil {
				v = ip.String()
			}
		case "dns", "dns4", "dns6", "dnsaddr", "sni":
			v = strings.ToLower(v)
		case "tcp", "udp":
			if port, err := strconv.ParseUint(v, 10, 16); err == nil {
				v = strconv.FormatUint(port, 10)
			}
		}
		b.WriteString("/" + proto + "/" + v)
	}
	return b.String()
}

// isFlagProtocol reports multiaddr protocols that take no value.
func isFlagProtocol(p string) bool {
	switch p {
	case "quic", "quic-v1", "webtransport", "ws", "wss", "tls", "noise", "http", "https", "p2p-circuit", "webrtc",
		"webrtc-direct", "utp", "udt":
		return true
	}
	return false
}
