package main

// Embed the time zone database so Asia/Shanghai works on machines (and
// containers) without /usr/share/zoneinfo.
import _ "time/tzdata"
