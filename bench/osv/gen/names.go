package main

import (
	"math/rand"
	"regexp"
	"strings"
)

// popularPyPI are real project names as people write them in requirements
// files (mixed case, dots, underscores), so that PEP 503 normalization is
// exercised.
var popularPyPI = strings.Fields(`
Django requests Flask numpy PyYAML Jinja2 MarkupSafe SQLAlchemy zope.interface
typing_extensions ruamel.yaml Pillow python-dateutil pytz six urllib3 certifi
idna charset-normalizer cryptography cffi pycparser setuptools wheel boto3
botocore s3transfer jmespath attrs packaging pyparsing click itsdangerous
Werkzeug aiohttp yarl multidict frozenlist async-timeout aiosignal pydantic
pydantic_core annotated-types fastapi starlette uvicorn h11 anyio sniffio httpx
httpcore grpcio protobuf google-auth rsa pyasn1 pyasn1-modules cachetools
oauthlib requests-oauthlib pandas scipy scikit-learn joblib threadpoolctl
matplotlib kiwisolver cycler fonttools contourpy tqdm colorama psutil lxml
beautifulsoup4 soupsieve html5lib webencodings docutils Pygments rich
markdown-it-py mdurl tomli tomlkit filelock platformdirs virtualenv distlib
pytest pluggy iniconfig coverage mock Babel paramiko bcrypt PyNaCl PyJWT redis
celery kombu billiard vine amqp gunicorn psycopg2-binary SQLAlchemy-Utils
alembic Mako greenlet msgpack websockets tornado Twisted pyOpenSSL
service_identity zope.event gevent ujson orjson simplejson regex nltk
transformers tokenizers huggingface-hub safetensors torch torchvision
tensorflow keras absl-py Markdown flask_cors Flask-Login Flask_SQLAlchemy
flask-wtf WTForms python-multipart email_validator dnspython ecdsa python-jose
passlib argon2-cffi jsonschema referencing rpds-py jsonschema-specifications
isodate pyrsistent openpyxl et_xmlfile xlrd XlsxWriter reportlab PyPDF2
pdfminer.six python-docx ldap3 Scrapy parsel w3lib cssselect queuelib
itemadapter Pympler sentry-sdk structlog loguru python-json-logger
prometheus_client opentelemetry-api wrapt Deprecated decorator backoff tenacity
retrying toolz cytoolz dask distributed cloudpickle fsspec s3fs aiobotocore
pyarrow numba llvmlite sympy mpmath networkx Shapely pyproj Fiona geopandas
xarray netCDF4 h5py tables imageio scikit-image opencv-python ipython jedi
parso traitlets prompt_toolkit wcwidth pexpect ptyprocess ipykernel
jupyter_client jupyter-core pyzmq nbformat nbconvert notebook jupyterlab mistune
bleach tinycss2 defusedxml pandocfilters Send2Trash terminado
argon2-cffi-bindings pycryptodome pycryptodomex keyring SecretStorage jeepney
importlib-metadata zipp importlib_resources more-itertools jaraco.classes Sphinx
sphinx-rtd-theme alabaster imagesize snowballstemmer black isort flake8
pycodestyle pyflakes mccabe pylint astroid mypy mypy_extensions ruff pre-commit
identify nodeenv cfgv tox nox PyGithub GitPython gitdb smmap ansible
ansible-core resolvelib Fabric invoke docker kubernetes websocket-client
PyMySQL mysqlclient pymongo elasticsearch cassandra-driver confluent-kafka
kafka-python pika stripe twilio slack_sdk azure-core azure-storage-blob msal
google-cloud-storage google-api-core googleapis-common-protos proto-plus
`)

var syll = strings.Fields(`ab ac ad al am an ar as at ba be bi bo bu ca ce ci co cu da de di do du
fa fe fi fo ga ge gi go ha he hi ho ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu
pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo
tron flux byte node data core kit lib util pack hub grid lens mesh wave sync`)

var pep503 = regexp.MustCompile(`[-_.]+`)

// normPyPI is the PEP 503 normalized form of a project name.
func normPyPI(s string) string { return strings.ToLower(pep503.ReplaceAllString(s, "-")) }

func word(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(syll[r.Intn(len(syll))])
	}
	return b.String()
}

// pyName invents a PyPI project name (normalized form).
func pyName(r *rand.Rand) string {
	switch r.Intn(5) {
	case 0:
		return "py" + word(r, 2)
	case 1:
		return word(r, 2) + "-" + word(r, 1)
	case 2:
		return word(r, 3)
	case 3:
		return "django-" + word(r, 2)
	default:
		return word(r, 2) + "-" + []string{"client", "sdk", "tools", "utils", "api", "cli"}[r.Intn(6)]
	}
}

// npmName invents an npm package name, scoped now and then.
func npmName(r *rand.Rand) string {
	switch r.Intn(6) {
	case 0:
		return "@" + word(r, 2) + "/" + word(r, 2)
	case 1:
		return word(r, 2) + "-" + word(r, 2)
	case 2:
		return word(r, 2) + "." + word(r, 1)
	default:
		return word(r, 2+r.Intn(2))
	}
}

// oddSpelling writes a project name the way some requirements files do:
// other case, underscores or dots for dashes. It normalizes back to the same
// name.
func oddSpelling(name string, r *rand.Rand) string {
	switch r.Intn(4) {
	case 0:
		return strings.ToUpper(name[:1]) + name[1:]
	case 1:
		return strings.ReplaceAll(name, "-", "_")
	case 2:
		return strings.ReplaceAll(strings.ToUpper(name[:1])+name[1:], "-", ".")
	default:
		return strings.ToUpper(name)
	}
}
