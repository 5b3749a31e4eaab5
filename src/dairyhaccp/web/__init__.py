"""The Django web layer: storage adapters, views, API and admin around the domain core."""
