"""The dashboard's pages and their helpers (Streamlit; `dashboard.py` is the entry point).

Pages (`live`, `why`, `tune`, `replay`, `experiments`) are run by `st.navigation` as scripts
and render only under `__main__`; every other module is a plain helper importable in tests
and benchmarks. Views call `configuration/`, `world/` and `experiments/` and hold no
simulation logic.
"""
