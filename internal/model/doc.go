// Package model holds the plain types shared by every part of lvxin: users,
// clients, matters, conversations, messages, evidence, deadlines. It does no
// I/O and knows no SQL; packages above it translate to and from storage.
package model
