package main

import "golang.org/x/mod/sumdb/note"

func noteSigner(skey string) (note.Signer, error)     { return note.NewSigner(skey) }
func noteVerifier(vkey string) (note.Verifier, error) { return note.NewVerifier(vkey) }
