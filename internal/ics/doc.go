// Package ics owns the iCalendar (RFC 5545) export of a lawyer's personal
// deadline feed: one all-day VEVENT per deadline with two display alarms,
// correctly escaped, folded at 75 octets and CRLF-terminated, so that
// calendar apps can subscribe to it.
package ics
