"""Bounded context "operators": the tenants (dairies) and the people who work for them."""
