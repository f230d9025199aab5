"""`python -m devserver`: run the whole chatbot locally (see `devserver.app`)."""

from devserver.app import main

raise SystemExit(main())
