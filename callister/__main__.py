from callister.cli import main

raise SystemExit(main())
