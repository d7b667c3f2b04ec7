module github.com/airlock-sec/airlock

go 1.26.8

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/lib/pq v1.12.3
	github.com/mattn/go-sqlite3 v1.14.53
	github.com/ulikunitz/xz v0.5.17
	gopkg.in/yaml.v3 v3.0.1
	mvdan.cc/sh/v3 v3.14.1
)
