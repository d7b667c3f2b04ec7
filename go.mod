module github.com/airlock-sec/airlock

go 1.26.8

require (
	github.com/ulikunitz/xz v0.5.17 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
	mvdan.cc/sh/v3 v3.14.1 // indirect
)
